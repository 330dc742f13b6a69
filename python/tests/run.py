"""Run the pytest suite and end with "N passed, N failed" (the line scripts/count-tests.py and
.ci/run total). usage: python3 run.py TESTS_DIR [pytest args...]"""
import sys

import pytest


class Count:
    def __init__(self):
        self.passed = self.failed = 0

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            self.failed += 1


count = Count()
rc = pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[count])
print(f"{count.passed} passed, {count.failed} failed")
sys.exit(0 if rc == 0 and count.failed == 0 else 1)
