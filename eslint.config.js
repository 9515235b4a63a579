// ESLint with the TypeScript rules (typescript-eslint's recommended set), run by `npm test` (npm run lint).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      ".dist.building-*/**",
      "node_modules/**",
      "src/.observablehq/**",
      "bench/.work/**",
      "data/**",
      "site/**",
      "scratch/**",
      "test-results/**"
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Matching control characters is the point where it happens: decoding exports, stripping terminal colours.
      "no-control-regex": "off",
      // Unused names are mistakes, except a deliberately ignored argument or destructured rest (leading underscore).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }
      ]
    }
  }
);
