package dev.switchboard.itests;

import static org.junit.Assert.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import javax.security.auth.Subject;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs command lines in Karaf's own shell, as a user would type them at {@code karaf@root()>},
 * through the {@code org.apache.karaf.shell.api.console.SessionFactory} service. Runs inside Karaf,
 * in the pax-exam probe. Reached by reflection, so the itests compile against no Karaf jar (Karaf's
 * shell jar carries its own copy of Gogo's {@code org.apache.felix.service.command}).
 */
final class KarafShell {
  private static final String SESSION_FACTORY = "org.apache.karaf.shell.api.console.SessionFactory";
  private static final String SESSION = "org.apache.karaf.shell.api.console.Session";

  /** Karaf checks each command against the roles of the calling subject (etc/*.command ACLs). */
  private static final String ROLE_PRINCIPAL = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

  private KarafShell() {}

  /**
   * Runs {@code commandLine} in a new session as a user with Karaf's {@code admin} role, as the
   * default {@code karaf} user has; returns what it printed plus its result (as a string). A
   * failing command throws an {@link AssertionError} with its output so far.
   */
  static String execute(BundleContext ctx, String commandLine) throws Exception {
    Subject admin = new Subject();
    admin
        .getPrincipals()
        .add(
            (Principal)
                ctx.getBundle()
                    .loadClass(ROLE_PRINCIPAL)
                    .getConstructor(String.class)
                    .newInstance("admin"));
    try {
      return Subject.doAs(admin, (PrivilegedExceptionAction<String>) () -> run(ctx, commandLine));
    } catch (PrivilegedActionException e) {
      throw e.getException();
    }
  }

  private static String run(BundleContext ctx, String commandLine) throws Exception {
    ServiceTracker<Object, Object> tracker =
        new ServiceTracker<>(ctx, ctx.createFilter("(objectClass=" + SESSION_FACTORY + ")"), null);
    tracker.open();
    try {
      Object factory = tracker.waitForService(InFramework.TIMEOUT_MS);
      assertNotNull("Karaf's shell SessionFactory service", factory);
      ServiceReference<Object> ref = tracker.getServiceReference();
      Class<?> factoryType = ref.getBundle().loadClass(SESSION_FACTORY);
      Class<?> sessionType = ref.getBundle().loadClass(SESSION);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      Object session =
          factoryType
              .getMethod("create", InputStream.class, PrintStream.class, PrintStream.class)
              .invoke(factory, new ByteArrayInputStream(new byte[0]), out, out);
      try {
        Object result =
            sessionType.getMethod("execute", CharSequence.class).invoke(session, commandLine);
        return (printed.toString(StandardCharsets.UTF_8) + (result == null ? "" : result)).trim();
      } catch (InvocationTargetException e) {
        throw new AssertionError(
            "'"
                + commandLine
                + "' failed: "
                + e.getCause()
                + "\n"
                + printed.toString(StandardCharsets.UTF_8),
            e.getCause());
      } finally {
        sessionType.getMethod("close").invoke(session);
      }
    } finally {
      tracker.close();
    }
  }
}
