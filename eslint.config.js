// Lint: the TypeScript recommended rules, type-checked separately by `tsc --noEmit` (npm run lint).
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
    { ignores: ["node_modules/", "policy/node_modules/", "build/", ".proto/", ".tandem/"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            // Mock and policy inputs are untyped JSON from the engine; `any` is honest there.
            "@typescript-eslint/no-explicit-any": "off",
            // CallbackFunction needs the AWS SDK required inside the factory (REFERENCE.md).
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
);
