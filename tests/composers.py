"""Composers that tests name in configuration ("composers:<factory>"), as a user would name
their own: the seam where a language model would plug in."""


def shortest_only():
    """A composer that quotes only the shortest relevant sentence: visibly not the default."""
    def compose(question, passages, found, settings):
        relevant = [c for c in found if c.coverage > 0] or found
        return [(min(relevant, key=lambda c: len(c.text)), ())]
    return compose


def inventive():
    """A composer that makes up what it quotes; the quote check must refuse it."""
    import dataclasses

    def compose(question, passages, found, settings):
        return [(dataclasses.replace(found[0], text="Bộ Tài chính chịu trách nhiệm."), ())]
    return compose
