package dev.switchboard.transport.netty;

import dev.switchboard.api.TlsIdentity;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * A client context whose cached TLS sessions are dropped when its {@link TlsIdentity} changes: a
 * resumed session carries the certificate of the handshake it resumes, so without this a channel
 * reconnecting after a rotation would go on showing the server its old client certificate until the
 * session expired. Checked as each connection's engine is made. Thread-safe.
 */
final class ResumptionGuard extends DelegatingSslContext {
  private final SslContext delegate;
  private final TlsIdentity identity;
  private final AtomicLong version;

  ResumptionGuard(SslContext delegate, TlsIdentity identity) {
    super(delegate);
    this.delegate = delegate;
    this.identity = identity;
    this.version = new AtomicLong(identity.current().version());
  }

  @Override
  protected void initEngine(SSLEngine engine) {
    long now = identity.current().version();
    long before = version.get();
    if (now != before && version.compareAndSet(before, now)) {
      SSLSessionContext sessions = delegate.sessionContext();
      for (byte[] id : Collections.list(sessions.getIds())) {
        SSLSession session = sessions.getSession(id);
        if (session != null) {
          session.invalidate();
        }
      }
    }
  }
}
