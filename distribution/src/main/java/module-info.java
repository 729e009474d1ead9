/**
 * The Switchboard demo: the demo component that configures servers and a channel and changes them
 * live (runs only under the demo launcher) and that launcher ({@code switchboard-demo.jar}, outside
 * any framework). Exports nothing; meant for the demo launcher's embedded framework only. The
 * shipped Gogo commands are the {@code dev.switchboard.shell} module.
 */
module dev.switchboard.distribution {
  requires dev.switchboard.api;
  // The Greeter: the service the backends serve and the stub the demo calls with.
  requires dev.switchboard.examples;
  // WhiteboardConstants and ChannelProperties: the names of the configurations the demo creates.
  requires dev.switchboard.osgi.server;
  requires dev.switchboard.osgi.channel;
  // The demo prints the channel's wiring and the providers with the shell's reports.
  requires dev.switchboard.shell;
  // The launcher configures JUL (where System.Logger goes) for the demo output.
  requires java.logging;
  // OSGi: framework and DS annotations at compile time; a framework provides them at run time.
  requires static osgi.core;
  requires static org.osgi.service.component.annotations;
  // Configuration Admin's API; the configadmin bundle exports it at run time.
  requires static org.osgi.service.cm;
}
