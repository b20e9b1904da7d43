"""Import published disclosures (Excel workbooks, document text, PDFs) into report YAML."""
