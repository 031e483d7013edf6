// Lint: the TypeScript recommended rules everywhere (types are checked by `tsc --noEmit`, the first half
// of `npm run lint`), and @pulumi/eslint-plugin's rules, which need type information, on the program:
// an Output in a plain template literal becomes "Calling [toString] on an [Output<T>] is not supported".
const tseslint = require("typescript-eslint");
const pulumi = require("@pulumi/eslint-plugin");

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
    {
        files: ["index.ts", "infra/**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
);
