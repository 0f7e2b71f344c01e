package dev.roomtone.script.crdt;

import java.util.Collections;
import java.util.List;

/** An embedded object inside text (an image, a mention...), stored as JSON. */
final class ContentEmbed implements Content {

  static final int REF = 5;
  final Object embed;

  ContentEmbed(Object embed) {
    this.embed = embed;
  }

  @Override
  public int length() {
    return 1;
  }

  @Override
  public boolean countable() {
    return true;
  }

  @Override
  public List<Object> values() {
    return Collections.singletonList(embed);
  }

  @Override
  public Content copy() {
    return new ContentEmbed(embed);
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException("embed content has length 1");
  }

  @Override
  public boolean mergeWith(Content right) {
    return false;
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    encoder.writeJSON(embed);
  }

  @Override
  public int ref() {
    return REF;
  }
}
