"""Schemas for every file of a report project (strict: unknown keys are errors)."""
