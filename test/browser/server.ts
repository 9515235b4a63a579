// The static server the tests use is the one `npm run pdf` and the size report use (loaders/site/serve.ts).
export * from "../../loaders/site/serve.ts";
