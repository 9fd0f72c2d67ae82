"""Commands that export: export docx|csv|json, matrix, cooccurrence (owned by the export work)."""
