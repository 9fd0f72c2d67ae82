"""Exports of coded material: the Word report, the codebook as Word, csv/json rows, matrix, co-occurrence."""
