"""Writing files: plan folders, workbooks, board packs - always all or nothing."""
