import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DYAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = SHARED.parent / "seed"
EXAMPLE = ROOT / "examples" / "voa-2020-07-07-north-korea.txt"


@pytest.fixture(scope="session")
def pipeline():
    from dyad.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture(scope="session")
def sample_result(pipeline):
    from dyad.readers import read_path

    article = next(iter(read_path(str(EXAMPLE), "2020-07-07")))
    return pipeline.code_article(article)
