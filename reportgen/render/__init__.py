"""Render stage: view models -> HTML, SVG charts and PDF bytes."""
