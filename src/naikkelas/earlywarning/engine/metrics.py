"""How well scores foresaw closures: AUC, PR-AUC (average precision), precision among the top k, and lead
time. Plain Python over lists, so the figures are the same whatever computed the scores."""

import statistics


def auc(labels: list[bool], scores: list[float]) -> float | None:
    """The chance that a business that closed scored above one that did not (ties count half)."""
    order = sorted(range(len(scores)), key=scores.__getitem__)
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):  # average ranks over ties
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return None
    rank_sum = sum(rank for rank, label in zip(ranks, labels) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def average_precision(labels: list[bool], scores: list[float]) -> float | None:
    """PR-AUC as average precision: the mean, over the businesses that closed, of the precision at the
    rank each was found."""
    positives = sum(labels)
    if not positives:
        return None
    found, total = 0, 0.0
    for rank, index in enumerate(sorted(range(len(scores)), key=lambda i: -scores[i]), start=1):
        if labels[index]:
            found += 1
            total += found / rank
    return total / positives


def precision_at(labels: list[bool], scores: list[float], k: int) -> float | None:
    """Of the k highest scores, the share that closed."""
    top = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
    return sum(labels[i] for i in top) / len(top) if top else None


def lead_days(first_alerts: dict, closures: dict) -> list[int]:
    """Days from each closed business's first alert to its closure, for those alerted before closing.
    `first_alerts` and `closures` map a business to a date."""
    return sorted(
        (closures[b] - alerted).days for b, alerted in first_alerts.items() if b in closures and alerted < closures[b]
    )


def median(values: list) -> float | None:
    return statistics.median(values) if values else None
