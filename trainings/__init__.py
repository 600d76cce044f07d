"""培训班: trainings for 党务工作者, 入党积极分子 and 红色讲师 — enrolment, sessions,
attendance, hours."""
