"""The scenario format, defined once: models (pydantic) from which reading,
the workbook, the template and the documentation's field tables all come."""
