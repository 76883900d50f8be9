"""Chat adapters behind one small Protocol; only the adapter modules import a chat library."""
