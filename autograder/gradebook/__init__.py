"""The gradebook: people, submissions, results and regrade history in one SQL database.

Shared by the command line (`autograder grade --gradebook`, `export`, `roster invite`) and the
submission service (`autograder serve`, `autograder worker`). SQLite by default, any SQLAlchemy
URL (e.g. PostgreSQL) by configuration. One module per concern:

- ``models``: the schema (people, submissions, results, regrades, workers) and the queue's states;
- ``store``: ``Gradebook``, the database: people, submissions, counted scores, command-line batches;
- ``queue``: claiming, renewing, finishing and requeueing submissions (see its docstring);
- ``roster`` and ``credentials``: roster.yml and sign-in secrets;
- ``sessions``: server-side sign-in sessions; ``extensions``: per-student due dates;
- ``policies``: late penalty and safe file names; ``exports``: CSV, Canvas and Gradescope exports;
- ``similarity``: the submissions a week's similarity report compares, and its report rows.
"""

from autograder.gradebook.credentials import hash_secret, new_secret, verify_secret
from autograder.gradebook.exports import export_csv, export_rows
from autograder.gradebook.models import (DONE, ERROR, ID_RE, MAX_ATTEMPTS, PRIORITY_REGRADE, PRIORITY_STUDENT, QUEUED,
                                         ROLES, RUNNING, SCHEMA_VERSION, STAFF, Base, Claim, Extension, Meta, Regrade,
                                         Result, SessionRow, SimilarityRun, Submission, User, WorkerRow, to_utc, utcnow)
from autograder.gradebook.policies import apply_penalty, late_penalty, safe_filename, safe_join
from autograder.gradebook.queue import local_worker_dead, local_worker_id
from autograder.gradebook.roster import Person, Roster, load_roster, roster_path
from autograder.gradebook.store import Gradebook, database_url

__all__ = [
    "DONE", "ERROR", "ID_RE", "MAX_ATTEMPTS", "PRIORITY_REGRADE", "PRIORITY_STUDENT", "QUEUED", "ROLES", "RUNNING",
    "SCHEMA_VERSION", "STAFF", "Base", "Claim", "Extension", "Gradebook", "Meta", "Person", "Regrade", "Result",
    "Roster", "SessionRow", "SimilarityRun", "Submission", "User", "WorkerRow", "apply_penalty", "database_url",
    "export_csv", "export_rows", "hash_secret",
    "late_penalty", "load_roster", "local_worker_dead", "local_worker_id", "new_secret", "roster_path",
    "safe_filename", "safe_join", "to_utc", "utcnow", "verify_secret",
]
