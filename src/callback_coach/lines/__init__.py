"""The lines layer: import new sides, drill the actor's lines on cue, measure how
off-book they are. A pure core: no Rich, no questionary, no Typer.

- `layouts` reads a file (screenplay or stage-play text, Fountain, PDF) into scenes;
- `scene` is the model (Scene, Speech, Direction) and the words lines are compared by;
- `sides` keeps the scenes and their progress in `$COACH_HOME/sides/`;
- `scoring`, `schedule` and `drill` run a sitting through a `drill.LinesUI`;
- `measure` gives the off-book figure: `offbook(home, role, project, round)`.

The heavy libraries (`pypdf`, `fsrs`, `rapidfuzz`, the optional `pyttsx3`) are imported
only by the functions that use them.
"""

from callback_coach.lines.measure import OffBook, SceneOffBook, offbook

__all__ = ["OffBook", "SceneOffBook", "offbook"]
