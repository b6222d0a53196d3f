"""Composers that tests name in configuration ("composers:<factory>"), as a user would name
their own: the seam where a language model would plug in."""


def shortest_only():
    """A composer that quotes only the shortest sentence that still covers enough of the
    question, and is not the best one: visibly not the default."""
    def compose(question, passages, found, settings):
        best = max(found, key=lambda c: c.coverage)
        relevant = [c for c in found if c.coverage >= settings.min_coverage and c is not best]
        return [(min(relevant or [best], key=lambda c: len(c.text)), ())]
    return compose


def inventive():
    """A composer that makes up what it quotes; the quote check must refuse it."""
    import dataclasses

    def compose(question, passages, found, settings):
        return [(dataclasses.replace(found[0], text="Bộ Tài chính chịu trách nhiệm."), ())]
    return compose
