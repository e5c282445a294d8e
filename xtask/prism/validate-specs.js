// Validates OpenAPI documents with swagger-parser: the official OpenAPI 3.0 JSON
// Schema plus its semantic checks (path parameters declared, unique operationIds,
// resolvable $refs). Usage: node validate-specs.js SPEC.json [SPEC.json ...]
// Exits non-zero naming each invalid file; `cargo xtask test` runs it on specs/.
"use strict";
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main(files) {
  let failed = 0;
  for (const file of files) {
    try {
      await SwaggerParser.validate(file);
      console.log(`valid OpenAPI: ${file}`);
    } catch (err) {
      failed += 1;
      console.error(`INVALID OpenAPI: ${file}\n${err.message}`);
    }
  }
  if (files.length === 0) {
    console.error("usage: node validate-specs.js SPEC.json [SPEC.json ...]");
    process.exit(2);
  }
  process.exit(failed === 0 ? 0 : 1);
}

main(process.argv.slice(2));
