import json

from clusterportal.management.commands.bench_web import Result, format_table, parse_wrk, summary

RESULTS = [
    Result("bare", 1200.0, 10.0, 40.0, 70.0, 0),
    Result("directory", 600.0, 20.5, 60.25, 90.0, 0),
    Result("filtered directory", 300.0, 40.0, 80.0, 120.0, 1),
    Result("organisation page", 900.0, 12.0, 30.0, 50.0, 0),
    Result("api list", 420.0, 30.0, 70.0, 110.0, 2),
]


def test_summary_gives_the_ratios_to_the_bare_view_and_all_errors():
    assert summary(RESULTS) == {"directory_ratio": 0.5, "api_ratio": 0.35, "errors": 3}


def test_summary_is_one_json_line():
    line = json.dumps(summary(RESULTS))

    assert line == '{"directory_ratio": 0.5, "api_ratio": 0.35, "errors": 3}'


def test_table_aligns_figures_and_shows_each_share_of_the_bare_view():
    lines = format_table(RESULTS)

    assert lines[0] == (
        "page                         req/s   p50 ms   p95 ms   p99 ms  errors  of bare"
    )
    assert lines[1] == "-" * 78
    assert lines[2] == (
        "bare                        1200.0     10.0     40.0     70.0       0     100%"
    )
    assert lines[3] == (
        "directory                    600.0     20.5     60.2     90.0       0      50%"
    )
    assert lines[6] == (
        "api list                     420.0     30.0     70.0    110.0       2      35%"
    )
    assert len(lines) == 7


def test_wrk_report_is_read_in_milliseconds_and_requests_per_second():
    output = (
        "Running 10s test @ http://127.0.0.1:8000\n"
        'RESULT {"requests": 5000, "seconds": 10.0, "p50": 12500, "p95": 40000, '
        '"p99": 81000, "errors": 4}\n'
    )

    assert parse_wrk("directory", output) == Result("directory", 500.0, 12.5, 40.0, 81.0, 4)
