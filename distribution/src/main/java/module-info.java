/**
 * The Switchboard demo: the demo component that swaps balancers live (runs only under the demo
 * launcher) and that launcher ({@code switchboard-demo.jar}, outside any framework). Exports
 * nothing; meant for the demo launcher's embedded framework only. The shipped Gogo commands are the
 * {@code dev.switchboard.shell} module.
 */
module dev.switchboard.distribution {
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.core.server;
  requires dev.switchboard.examples;
  // The demo prints the channel's wiring and the providers with the shell's reports.
  requires dev.switchboard.shell;
  // The launcher configures JUL (where System.Logger goes) for the demo output.
  requires java.logging;
  // OSGi: framework and DS annotations at compile time; a framework provides them at run time.
  requires static osgi.core;
  requires static org.osgi.service.component.annotations;
}
