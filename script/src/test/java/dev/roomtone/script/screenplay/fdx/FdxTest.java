package dev.roomtone.script.screenplay.fdx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.ScreenplayElement.Action;
import dev.roomtone.script.screenplay.ScreenplayElement.Centered;
import dev.roomtone.script.screenplay.ScreenplayElement.Character;
import dev.roomtone.script.screenplay.ScreenplayElement.Dialogue;
import dev.roomtone.script.screenplay.ScreenplayElement.PageBreak;
import dev.roomtone.script.screenplay.ScreenplayElement.Parenthetical;
import dev.roomtone.script.screenplay.ScreenplayElement.SceneHeading;
import dev.roomtone.script.screenplay.ScreenplayElement.Transition;
import dev.roomtone.script.screenplay.SourceRange;
import dev.roomtone.script.screenplay.TitleField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdxTest {

  private static final SourceRange N = SourceRange.NONE;

  /** Shaped as Final Draft 12 saves a script: settings, scene properties, styled runs, a title page without keys. */
  private static final String FINAL_DRAFT = """
      <?xml version="1.0" encoding="UTF-8" standalone="no" ?>
      <FinalDraft DocumentType="Script" Template="No" Version="5">

        <Content>
          <Paragraph Number="1" Type="Scene Heading">
            <SceneProperties Length="1/8" Page="1" Title="">
              <SceneArcBeats/>
            </SceneProperties>
            <Text>INT. LIGHTHOUSE - NIGHT</Text>
          </Paragraph>
          <Paragraph Type="Action">
            <Text>The lamp turns. </Text>
            <Text Style="Bold">Something</Text>
            <Text> moves on the rocks &amp; waits.</Text>
          </Paragraph>
          <Paragraph Type="Character">
            <Text>KEEPER (V.O.)</Text>
          </Paragraph>
          <Paragraph Type="Parenthetical">
            <Text>(to himself)</Text>
          </Paragraph>
          <Paragraph Type="Dialogue">
            <Text>Not </Text>
            <Text Style="Italic+Underline">again</Text>
            <Text>.</Text>
          </Paragraph>
          <Paragraph>
            <DualDialogue>
              <Paragraph Type="Character">
                <Text>ANNA</Text>
              </Paragraph>
              <Paragraph Type="Dialogue">
                <Text>Run.</Text>
              </Paragraph>
              <Paragraph Type="Character">
                <Text>BEN</Text>
              </Paragraph>
              <Paragraph Type="Dialogue">
                <Text>Hide.</Text>
              </Paragraph>
            </DualDialogue>
          </Paragraph>
          <Paragraph Type="Transition">
            <Text>CUT TO:</Text>
          </Paragraph>
          <Paragraph Number="2A" StartsNewPage="Yes" Type="Scene Heading">
            <Text>EXT. ROCKS - CONTINUOUS</Text>
          </Paragraph>
          <Paragraph Alignment="Center" Type="Action">
            <Text>THE END</Text>
          </Paragraph>
        </Content>

        <TitlePage>
          <Content>
            <Paragraph Alignment="Center" Type="Text">
              <Text Style="Underline">THE KEEPER</Text>
            </Paragraph>
            <Paragraph Alignment="Center" Type="Text">
              <Text></Text>
            </Paragraph>
            <Paragraph Alignment="Center" Type="Text">
              <Text>Written by</Text>
            </Paragraph>
            <Paragraph Alignment="Center" Type="Text">
              <Text>Jo Writer</Text>
            </Paragraph>
            <Paragraph Alignment="Left" Type="Text">
              <Text>Draft 3, 12/01/2026</Text>
            </Paragraph>
            <Paragraph Alignment="Left" Type="Text">
              <Text>jo@example.com</Text>
            </Paragraph>
          </Content>
        </TitlePage>

        <ElementSettings Type="Action">
          <FontSpec AdornmentStyle="0" Background="#FFFFFFFFFFFF" Color="#000000000000" Font="Courier Final Draft" RevisionID="0" Size="12" Style=""/>
        </ElementSettings>
      </FinalDraft>
      """;

  @Test
  void readsAFileAsFinalDraftWritesIt() throws Exception {
    Screenplay s = FdxReader.read(FINAL_DRAFT.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(
        new SceneHeading("INT. LIGHTHOUSE - NIGHT", "1", N),
        new Action("The lamp turns. **Something** moves on the rocks & waits.", N),
        new Character("KEEPER", "(V.O.)", false, N),
        new Parenthetical("(to himself)", N),
        new Dialogue("Not _*again*_.", N),
        new Character("ANNA", "", false, N),
        new Dialogue("Run.", N),
        new Character("BEN", "", true, N),
        new Dialogue("Hide.", N),
        new Transition("CUT TO:", N),
        new PageBreak(N),
        new SceneHeading("EXT. ROCKS - CONTINUOUS", "2A", N),
        new Centered("THE END", N)), s.elements());
    assertEquals(List.of(
        new TitleField("Title", List.of("_THE KEEPER_")),
        new TitleField("Credit", List.of("Written by")),
        new TitleField("Author", List.of("Jo Writer")),
        new TitleField("Draft date", List.of("Draft 3, 12/01/2026")),
        new TitleField("Contact", List.of("jo@example.com"))), s.titlePage());
  }

  @Test
  void writesParagraphTypesNumbersStylesAndTitlePage() throws Exception {
    Screenplay s = FountainParser.parse("""
        Title: **THE KEEPER**
        Author: Jo Writer

        INT. LIGHTHOUSE - NIGHT #1#

        The *lamp* turns & <glows>.

        ANNA
        (quiet)
        Run.

        BEN ^
        Hide.

        ===

        CUT TO:
        """);
    String fdx = FdxWriter.write(s);
    assertTrue(fdx.contains("<FinalDraft DocumentType=\"Script\""), fdx);
    assertTrue(fdx.contains("<Paragraph Number=\"1\" Type=\"Scene Heading\">"), fdx);
    assertTrue(fdx.contains("<Text Style=\"Italic\">lamp</Text>"), fdx);
    assertTrue(fdx.contains("turns &amp; &lt;glows&gt;."), fdx);
    assertTrue(fdx.contains("<DualDialogue>"), fdx);
    assertTrue(fdx.contains("<Paragraph Type=\"Parenthetical\">"), fdx);
    assertTrue(fdx.contains("StartsNewPage=\"Yes\" Type=\"Transition\""), fdx);
    assertTrue(fdx.contains("<TitlePage>") && fdx.contains("<Text Style=\"Bold\">THE KEEPER</Text>"), fdx);
    // and it is well-formed XML the reader takes back
    assertEquals(s.withoutRanges().elements(), FdxReader.read(fdx.getBytes(StandardCharsets.UTF_8)).elements());
  }
}
