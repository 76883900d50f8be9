"""Feed fetching (network edge), parsing (pure) and scheduling (pure)."""
