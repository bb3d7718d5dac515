"""The SPOD3 workbook in the contract's layout (DOMAIN.md §3) and the coordinator's pages."""
