"""Commands that review suggestions: suggest, train (owned by the suggestions work)."""
