package dev.switchboard.transport.netty;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The way other threads talk to a connection: immutable {@link Command commands} queued from any
 * thread and run in order on the channel's event loop, in batches, with one flush per batch (and
 * every {@value #MAX_COMMANDS_PER_FLUSH} commands). Thread-safe, lock-free.
 *
 * <p>When the event loop no longer accepts tasks (its group was shut down), queued commands are
 * {@link Command#abort aborted} on the calling thread so that they release what they own.
 */
final class WriteQueue {
  private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
  private static final int MAX_COMMANDS_PER_FLUSH = 128;

  /** Work for the event loop. */
  interface Command {
    /** Runs on the event loop. Must not throw. */
    void run();

    /** The event loop is gone: release owned resources instead of running. Any thread. */
    void abort();
  }

  private final Channel channel;
  private final Queue<Command> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;

  WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /** Queues {@code command}; it runs on the event loop after every command queued before it. */
  void enqueue(Command command) {
    queue.add(command);
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException e) {
        abortAll();
      }
    }
  }

  private void drain() {
    assert channel.eventLoop().inEventLoop();
    int sinceFlush = 0;
    try {
      Command command;
      while ((command = queue.poll()) != null) {
        try {
          command.run();
        } catch (RuntimeException | Error e) {
          LOG.log(System.Logger.Level.ERROR, "transport command failed: " + command, e);
        }
        if (++sinceFlush == MAX_COMMANDS_PER_FLUSH) {
          channel.flush();
          sinceFlush = 0;
        }
      }
    } finally {
      channel.flush();
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }

  private void abortAll() {
    try {
      Command command;
      while ((command = queue.poll()) != null) {
        command.abort();
      }
    } finally {
      scheduled.set(false);
    }
    if (!queue.isEmpty()) {
      scheduleDrain();
    }
  }
}
