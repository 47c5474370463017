"""The capacity and cost worksheet's arithmetic, against cases computed by hand."""

from __future__ import annotations

import pytest

from hiring.worksheet import Inputs, compute, inputs_from


def test_the_seed_scenario_with_the_default_assumptions():
    r = compute(Inputs())
    # 50,000 users / 30 s = 1,666.67 requests/s; × 500 tokens = 833,333.33 tokens/s
    assert r.requests_per_s == pytest.approx(1666.6667, abs=1e-3)
    assert r.tokens_per_s == pytest.approx(833_333.33, abs=0.01)
    assert r.stream_tokens_per_s == 250  # 500 tokens in 2 s
    assert r.effective_tokens_per_s_per_gpu == 900  # 1,500 × 0.6
    # 70 B × 2 bytes = 140 GB over 80 GB × 0.7 = 56 GB a GPU: 2.5, so 3 GPUs a replica
    assert (r.weights_gb, r.gpus_per_replica) == (140, 3)
    # 833,333.33 / 900 = 925.9 → 926 GPUs → 309 replicas of 3 = 927 GPUs
    assert (r.replicas, r.gpus) == (309, 927)
    assert r.monthly_cost == 1_691_775.00  # 927 × $2.50 × 730 h
    assert r.headroom_usd == -1_491_775.00 and r.headroom_pct == -745.9
    assert r.gpus_budget_buys == 109  # $200,000 / $1,825 a GPU-month = 109.6
    assert r.within_budget is False


def test_a_small_model_fits_the_budget():
    r = compute(
        Inputs(
            seconds_between_requests=60,
            model_size_b=8,
            tokens_per_s_per_gpu=5_000,
            utilisation=0.8,
            gpu_hourly_usd=1.90,
        )
    )
    # 833.33 requests/s × 500 = 416,666.67 tokens/s over 4,000 a GPU = 104.2 → 105
    assert (r.weights_gb, r.gpus_per_replica, r.gpus) == (16, 1, 105)
    assert r.monthly_cost == 145_635.00  # 105 × $1.90 × 730
    assert (r.headroom_usd, r.headroom_pct) == (54_365.00, 27.2)
    assert r.gpus_budget_buys == 144 and r.within_budget


def test_an_exact_fit_has_zero_headroom_and_is_within_budget():
    r = compute(
        Inputs(
            users=1_000,
            seconds_between_requests=10,
            tokens_per_completion=100,
            model_size_b=1,
            tokens_per_s_per_gpu=1_000,
            utilisation=1.0,
            gpu_hourly_usd=1.0,
            budget_usd_month=7_300,
        )
    )
    assert r.gpus == 10  # 10,000 tokens/s over 1,000: exactly 10, not 11
    assert (r.monthly_cost, r.headroom_usd, r.headroom_pct, r.within_budget) == (
        7_300,
        0,
        0.0,
        True,
    )


def test_stored_data_with_unknown_or_missing_keys_falls_back_to_defaults():
    i = inputs_from({"users": 10, "nonsense": 1})
    assert i.users == 10 and i.tokens_per_completion == 500
