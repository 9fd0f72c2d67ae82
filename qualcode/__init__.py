"""qualcode: code qualitative interview transcripts with a theory-derived codebook."""

__version__ = "0.1.0"
