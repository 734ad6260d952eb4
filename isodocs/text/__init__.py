"""Plain-text helpers over Markdown and HTML (no isodocs imports): used by rules, readers and the site."""
