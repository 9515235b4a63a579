// The static server the tests use is the one `npm run pdf` and the size report use (pipeline/site/serve.ts).
export * from "../../pipeline/site/serve.ts";
