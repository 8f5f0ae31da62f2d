"""Load stage: files -> raw values that remember where they came from."""
