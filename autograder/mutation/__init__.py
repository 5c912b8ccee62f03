"""Mutation scores: how well each question's tests reject slightly wrong answers.

Three small units, one step each:

- ``operators`` turns a reference definition into mutants (one ``ast`` operator class per
  family, chained in ``OPERATORS``);
- ``engine`` runs them in one warm sandbox kernel holding the solution notebook: a probe inside
  the kernel drops equivalent mutants (``kernel`` is the code that runs there), the question's
  tests run in the trusted process on the others, as they would on a student's answer;
- ``report`` writes ``assignments/MUTATION.md`` (one section per week, stamped with the hash of
  the master and reference it was computed from) and reads scores back for the build table.

Entry point: ``autograder mutants WEEK [--question Q] [--max N]`` (``make mutants``: all weeks).
"""
