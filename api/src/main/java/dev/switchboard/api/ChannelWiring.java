package dev.switchboard.api;

import dev.switchboard.api.channelz.CallStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which providers a {@link ClientConn} is wired to, and why: its resolver, its balancer (two while
 * a graceful switch is under way, each with the child policies it looked up), its transport and the
 * codecs its calls used. For each: the provider's name, its origin (as registered: {@code "bundle
 * <symbolic name> <version>"}, {@code "module <name>"}, {@code "classpath <location>"}, or {@code
 * "built-in"}), why it was chosen, and its {@link State}.
 *
 * <p>An immutable snapshot taken by {@link ClientConn#describeWiring()}; safe to keep and to read
 * from any thread. {@link #toString()} renders it for logs, one line per component. Built by the
 * channel implementation with {@link #newBuilder()}; the fields may grow, so use the builder.
 *
 * @since 0.2
 */
public final class ChannelWiring {
  /** What a component does for the channel. */
  public enum Role {
    /** Turns the target into addresses: one component, named by the scheme. */
    RESOLVER,
    /** Balancing policy: the serving one, a pending one during a switch, and their children. */
    BALANCER,
    /** Makes the connections: one component, or two while a replaced provider drains. */
    TRANSPORT,
    /** Serializes messages: one component per codec name the channel's calls have used. */
    CODEC;

    /** {@return the role's name in lower case, for display} */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A component's standing. */
  public enum State {
    /** In use. */
    ACTIVE,
    /** A balancer built by a graceful switch, waiting to become READY before it takes over. */
    PENDING,
    /** Its provider left (or was replaced); what it made is finishing its work and then closes. */
    DRAINING,
    /** Its provider left and nothing replaced it; the channel carries on with what it had. */
    LOST,
    /**
     * No provider is deployed for it; calls wait for one during the channel's {@linkplain
     * DialOptions#providerGrace() provider grace period}, then fail naming it.
     */
    MISSING,
    /** Its provider threw; the channel isolated it and fell back or retries. */
    FAILED
  }

  /**
   * One wired provider. Immutable.
   *
   * @since 0.2
   */
  public static final class Component {
    private final Role role;
    private final String name;
    private final String origin;
    private final String reason;
    private final State state;
    private final String detail;
    private final List<Component> children;

    private Component(Builder b) {
      role = Objects.requireNonNull(b.role, "role");
      name = Objects.requireNonNull(b.name, "name");
      origin = b.origin;
      reason = b.reason == null ? "" : b.reason;
      state = Objects.requireNonNull(b.state, "state");
      detail = b.detail;
      children = List.copyOf(b.children);
    }

    /**
     * {@return a new builder for a component, in state {@link State#ACTIVE} until set}
     *
     * @param role what the component does, not null
     * @param name the policy name, scheme, transport or codec name, not null
     */
    public static Builder newBuilder(Role role, String name) {
      return new Builder(role, name);
    }

    /** {@return a new builder holding this component's values} */
    public Builder toBuilder() {
      Builder b = new Builder(role, name);
      b.origin = origin;
      b.reason = reason;
      b.state = state;
      b.detail = detail;
      b.children.addAll(children);
      return b;
    }

    /** {@return what the component does for the channel} */
    public Role role() {
      return role;
    }

    /** {@return the policy name, scheme, transport or codec name} */
    public String name() {
      return name;
    }

    /**
     * {@return where the provider comes from, as registered, or {@code null} when {@link
     * State#MISSING}}
     */
    public String origin() {
      return origin;
    }

    /**
     * {@return why this provider was chosen ("first available in loadBalancingConfig [...]", ...);
     * empty when unknown, never null}
     */
    public String reason() {
      return reason;
    }

    /** {@return the component's standing} */
    public State state() {
      return state;
    }

    /** {@return what is wrong or under way (an error, kept addresses), or {@code null}} */
    public String detail() {
      return detail;
    }

    /**
     * {@return the child policies a balancer looked up, in lookup order; immutable, empty for other
     * roles}
     */
    public List<Component> children() {
      return children;
    }

    @Override
    public String toString() {
      return WiringText.of(this);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Component c
          && role == c.role
          && name.equals(c.name)
          && Objects.equals(origin, c.origin)
          && reason.equals(c.reason)
          && state == c.state
          && Objects.equals(detail, c.detail)
          && children.equals(c.children);
    }

    @Override
    public int hashCode() {
      return Objects.hash(role, name, origin, reason, state, detail, children);
    }

    /** Builds a {@link Component}; state defaults to {@link State#ACTIVE}. */
    public static final class Builder {
      private final Role role;
      private final String name;
      private String origin;
      private String reason;
      private State state = State.ACTIVE;
      private String detail;
      private final List<Component> children = new ArrayList<>();

      private Builder(Role role, String name) {
        this.role = Objects.requireNonNull(role, "role");
        this.name = Objects.requireNonNull(name, "name");
      }

      /**
       * Sets where the provider comes from.
       *
       * @param origin as registered ({@code "bundle <symbolic name> <version>"}, {@code "module
       *     <name>"}, {@code "classpath <location>"}, {@code "built-in"}), or {@code null} when no
       *     provider is deployed
       * @return this builder
       */
      public Builder origin(String origin) {
        this.origin = origin;
        return this;
      }

      /**
       * Sets why this provider was chosen.
       *
       * @param reason a short explanation, or {@code null} for none
       * @return this builder
       */
      public Builder reason(String reason) {
        this.reason = reason;
        return this;
      }

      /**
       * Sets the component's standing.
       *
       * @param state the state, not null
       * @return this builder
       */
      public Builder state(State state) {
        this.state = Objects.requireNonNull(state, "state");
        return this;
      }

      /**
       * Sets what is wrong or under way.
       *
       * @param detail an error or note, or {@code null} for none
       * @return this builder
       */
      public Builder detail(String detail) {
        this.detail = detail;
        return this;
      }

      /**
       * Adds a child policy, after those added before.
       *
       * @param child the child component, not null
       * @return this builder
       */
      public Builder addChild(Component child) {
        children.add(Objects.requireNonNull(child, "child"));
        return this;
      }

      /** {@return a new immutable component} */
      public Component build() {
        return new Component(this);
      }
    }
  }

  private final String target;
  private final String scheme;
  private final ConnectivityState connectivityState;
  private final List<Component> components;
  private final CallStats calls;

  private ChannelWiring(Builder b) {
    target = Objects.requireNonNull(b.target, "target");
    scheme = Objects.requireNonNull(b.scheme, "scheme");
    connectivityState = Objects.requireNonNull(b.connectivityState, "connectivityState");
    components = List.copyOf(b.components);
    calls = b.calls;
  }

  /** {@return a new builder; target and scheme must be set, the state defaults to IDLE} */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@return a new builder holding this snapshot's values} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.target = target;
    b.scheme = scheme;
    b.connectivityState = connectivityState;
    b.components.addAll(components);
    b.calls = calls;
    return b;
  }

  /** {@return the target string the channel was created with} */
  public String target() {
    return target;
  }

  /** {@return the resolver scheme in use: the target's, or the default one chosen for it} */
  public String scheme() {
    return scheme;
  }

  /** {@return the channel's connectivity state when the snapshot was taken} */
  public ConnectivityState connectivityState() {
    return connectivityState;
  }

  /**
   * {@return every component, immutable: resolver, balancers (serving one first), transport,
   * codecs}
   */
  public List<Component> components() {
    return components;
  }

  /**
   * {@return the components in {@code role}, in {@link #components()} order; immutable}
   *
   * @param role the role to select
   */
  public List<Component> components(Role role) {
    List<Component> out = new ArrayList<>();
    for (Component c : components) {
      if (c.role() == role) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@return the channel's calls started, succeeded and failed when the snapshot was taken (the
   * counters channelz reports); {@link CallStats#NONE} when the channel does not count} Not part of
   * {@link #equals} and {@link #toString()}: it changes with every call, the wiring does not.
   *
   * @since 0.3
   */
  public CallStats calls() {
    return calls;
  }

  /** {@return the resolver component, or {@code null} before the channel first left IDLE} */
  public Component resolver() {
    return first(Role.RESOLVER);
  }

  /**
   * {@return the balancer whose picker serves calls, or {@code null} before there is one} With a
   * graceful switch under way, the {@link State#PENDING} one follows it in {@link
   * #components(Role)}.
   */
  public Component balancer() {
    for (Component c : components) {
      if (c.role() == Role.BALANCER && c.state() != State.PENDING) {
        return c;
      }
    }
    return null;
  }

  /**
   * {@return the transport taking new connections (or {@link State#MISSING}), or {@code null}
   * before any connection}
   */
  public Component transport() {
    for (Component c : components) {
      if (c.role() == Role.TRANSPORT && c.state() != State.DRAINING) {
        return c;
      }
    }
    return first(Role.TRANSPORT);
  }

  private Component first(Role role) {
    for (Component c : components) {
      if (c.role() == role) {
        return c;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return WiringText.of(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelWiring w
        && target.equals(w.target)
        && scheme.equals(w.scheme)
        && connectivityState == w.connectivityState
        && components.equals(w.components);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target, scheme, connectivityState, components);
  }

  /** Builds a {@link ChannelWiring}. */
  public static final class Builder {
    private String target;
    private String scheme;
    private ConnectivityState connectivityState = ConnectivityState.IDLE;
    private final List<Component> components = new ArrayList<>();
    private CallStats calls = CallStats.NONE;

    private Builder() {}

    /**
     * Sets the channel's call counts.
     *
     * @param calls the counts, not null
     * @return this builder
     * @since 0.3
     */
    public Builder calls(CallStats calls) {
      this.calls = Objects.requireNonNull(calls, "calls");
      return this;
    }

    /**
     * Sets the channel's target string. Required.
     *
     * @param target the target as given to the channel
     * @return this builder
     */
    public Builder target(String target) {
      this.target = target;
      return this;
    }

    /**
     * Sets the resolver scheme in use. Required.
     *
     * @param scheme the target's scheme or the default one chosen for it
     * @return this builder
     */
    public Builder scheme(String scheme) {
      this.scheme = scheme;
      return this;
    }

    /**
     * Sets the channel's connectivity state.
     *
     * @param state the state, not null (IDLE by default)
     * @return this builder
     */
    public Builder connectivityState(ConnectivityState state) {
      this.connectivityState = state;
      return this;
    }

    /**
     * Adds a component after those added before; the serving balancer goes before a pending one.
     *
     * @param component the component, not null
     * @return this builder
     */
    public Builder addComponent(Component component) {
      components.add(Objects.requireNonNull(component, "component"));
      return this;
    }

    /**
     * Removes every component added so far.
     *
     * @return this builder
     */
    public Builder clearComponents() {
      components.clear();
      return this;
    }

    /**
     * {@return a new immutable snapshot}
     *
     * @throws NullPointerException when the target, scheme or state is missing
     */
    public ChannelWiring build() {
      return new ChannelWiring(this);
    }
  }
}
