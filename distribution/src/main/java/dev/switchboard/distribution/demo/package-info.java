/**
 * The demo, run inside the framework by a Declarative Services component that only activates under
 * the demo launcher: backends and a channel from Configuration Admin, continuous calls, and
 * underneath a configuration update, the Greeter whiteboard services leaving and returning, and the
 * round_robin bundle stopped and started.
 */
package dev.switchboard.distribution.demo;
