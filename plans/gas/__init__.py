"""Goal Attainment Scaling (PLAN-05): a scale per goal, follow-up scores, and the Kiresuk-Sherman
T-score per review date (docs/decisions.md, "Issue 12: Goal Attainment Scaling")."""
