package dev.roomtone.script.screenplay.layout;

/** How to lay a script out: paper, scene numbers on both sides of headings, a title page. */
public record LayoutOptions(PageGrid grid, boolean sceneNumbers, boolean titlePage) {

  public static final LayoutOptions DEFAULT = new LayoutOptions(PageGrid.LETTER, false, true);

  public LayoutOptions withGrid(PageGrid g) {
    return new LayoutOptions(g, sceneNumbers, titlePage);
  }

  public LayoutOptions withSceneNumbers(boolean on) {
    return new LayoutOptions(grid, on, titlePage);
  }
}
