"""REFI-QDA exchange: codebooks (.qdc) and projects (.qdpx), read safely and written to the 1.0 schemas."""

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
