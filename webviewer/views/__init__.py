"""One small view per page: each gathers a typed context for one template."""
