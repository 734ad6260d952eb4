"""Commands that write documents: new, review, import, init, codeowners."""
