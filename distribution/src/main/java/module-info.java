/**
 * The Switchboard distribution bundle: the {@code switchboard} Gogo shell commands (any OSGi
 * container with SCR), the demo component that swaps balancers live (runs only under the demo
 * launcher) and that launcher ({@code switchboard-demo.jar}, outside any framework). Exports
 * nothing; meant for OSGi.
 */
module dev.switchboard.distribution {
  requires dev.switchboard.core.clientconn;
  requires dev.switchboard.core.server;
  requires dev.switchboard.examples;
  // The launcher configures JUL (where System.Logger goes) for the demo output.
  requires java.logging;
  // OSGi: framework and DS annotations at compile time; a framework provides them at run time.
  requires static osgi.core;
  requires static org.osgi.service.component.annotations;
}
