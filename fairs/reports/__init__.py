"""The donor report: one set of figures (data.py), written as XLSX (xlsx.py) and as PDF (pdf.py)."""
