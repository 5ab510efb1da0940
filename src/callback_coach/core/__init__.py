"""The coaching core: checklists, answers, sessions, planning, rounds, the Coach."""
