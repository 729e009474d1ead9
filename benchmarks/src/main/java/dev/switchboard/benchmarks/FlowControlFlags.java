package dev.switchboard.benchmarks;

import dev.switchboard.api.FlowControl;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 flow control flags both programs take: {@code --flow_control_window=B} (the initial
 * stream and connection windows, as AsyncClient's flag names them) and {@code --bdp=true|false}
 * (window auto-tuning from bandwidth-delay product estimates, on by default).
 */
final class FlowControlFlags {
  static final List<Flags.Spec> SPECS =
      List.of(
          Flags.Spec.value(
              "flow_control_window",
              "",
              "Initial HTTP/2 stream and connection window, bytes (default: the transport's,"
                  + " 1 MiB)."),
          Flags.Spec.value(
              "bdp",
              "true",
              "true or false: grow the windows from bandwidth-delay product estimates."));

  private FlowControlFlags() {}

  /** {@return {@code specs} followed by these flags} */
  static List<Flags.Spec> with(Flags.Spec... specs) {
    List<Flags.Spec> all = new ArrayList<>(List.of(specs));
    all.addAll(SPECS);
    return List.copyOf(all);
  }

  /** {@return the flow control the flags describe} */
  static FlowControl parse(Flags flags) throws Flags.UsageException {
    FlowControl.Builder b = FlowControl.newBuilder();
    if (flags.isSet("flow_control_window")) {
      int window = flags.intValue("flow_control_window", FlowControl.MIN_WINDOW);
      b.initialStreamWindow(window).initialConnectionWindow(window);
    }
    String bdp = flags.string("bdp");
    if (!bdp.equals("true") && !bdp.equals("false")) {
      throw new Flags.UsageException("--bdp is true or false, not '" + bdp + "'");
    }
    return b.autoTune(bdp.equals("true")).build();
  }
}
