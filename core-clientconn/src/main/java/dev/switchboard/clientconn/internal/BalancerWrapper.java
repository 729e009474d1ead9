package dev.switchboard.clientconn.internal;

import dev.switchboard.api.ChannelWiring;
import dev.switchboard.api.ConnectivityState;
import dev.switchboard.api.Status;
import dev.switchboard.api.spi.BalancerRegistry;
import dev.switchboard.api.spi.ClientConnState;
import dev.switchboard.api.spi.PickResult;
import dev.switchboard.api.spi.Picker;
import dev.switchboard.api.spi.ResolverState;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel's balancing, whichever policy the service config names: the resolver → service config
 * → balancer → picker half of the channel (grpc-go's {@code updateResolverStateAndUnlock} and
 * {@code applyServiceConfigAndBalancer} in front of its {@code ccBalancerWrapper}). It receives the
 * resolver's results from the {@link ResolverWrapper}, chooses the config for each resolution,
 * service config change or registry change ({@link PolicySelector}), and hands the last resolution
 * to the {@link GracefulSwitch}, which switches gracefully when the policy or its provider changed.
 * The switch's balancers publish their state and picker back here ({@link #updateBalancerState}),
 * and this class publishes them to the channel's {@link PickerWrapper} and connectivity state. A
 * balancer provider that throws is skipped for the next listed policy while one is usable.
 *
 * <p>A missing provider (no resolver for the scheme, no listed policy deployed) first gets its
 * grace period ({@link ProviderGrace}, {@code DialOptions.providerGrace}): the channel is
 * CONNECTING with a picker that queues every call, and carries on as usual once the provider
 * arrives. When the period has passed, or for an unusable first service config (malformed, or
 * rejected by its policy) at once, picks fail with UNAVAILABLE naming what is missing and the
 * channel is in TRANSIENT_FAILURE. Later unusable configs keep the balancer in place, as gRPC
 * specifies. A policy chosen because the ones listed before it are not deployed is logged as a
 * WARNING once per fallback, not on every resolution.
 *
 * <p>Owned by the {@link ClientConnImpl}, which creates the balancer side on leaving IDLE ({@link
 * #start()}), drops it on going IDLE again ({@link #enterIdle()}) and closes it on shutdown.
 * Serializer only, except {@link #lastError()} and {@link #validateServiceConfig}.
 */
final class BalancerWrapper {
  private static final System.Logger LOG = System.getLogger(BalancerWrapper.class.getName());

  private final ChannelContext ctx;
  private final String targetString;
  private final BalancerRegistry balancerRegistry;
  private final ServiceConfigParser configParser;
  private final PolicySelector policySelector;
  private final SubConnPool subConnPool;
  private final PickerWrapper pickerWrapper;
  private final ConnectivityStateManager stateManager;

  /** Why the channel itself fails picks (no resolver, no usable config), or null. */
  private volatile Status channelError;

  // Only touched in the serializer: resolution and balancing.
  /** Created on leaving IDLE; null while the channel is IDLE. */
  private GracefulSwitch balancers;

  private ResolverState lastResolverState;

  /** Why the first config was unusable (the channel fails), or null. */
  private Status configError;

  /** Why no listed policy is usable any more while the current balancer keeps serving, or null. */
  private Status policyUnavailable;

  /** The grace period of a missing resolver or policy; one absence until a balancer publishes. */
  private final ProviderGrace providerGrace;

  /** What the channel waits for while the grace period runs (its picker queues calls), or null. */
  private Status waitingFor;

  /** The fallback last logged: chosen policy and the unlisted ones before it; "" for none. */
  private String fallbackLogged = "";

  BalancerWrapper(
      ChannelContext ctx,
      SubConnPool subConnPool,
      PickerWrapper pickerWrapper,
      ConnectivityStateManager stateManager) {
    this.ctx = ctx;
    this.targetString = ctx.target().original();
    this.balancerRegistry = ctx.balancerRegistry();
    this.configParser = new ServiceConfigParser(balancerRegistry);
    this.policySelector =
        new PolicySelector(
            configParser,
            balancerRegistry,
            ctx.options().defaultServiceConfigJson(),
            ctx.options().serviceConfigLookupDisabled());
    this.subConnPool = subConnPool;
    this.pickerWrapper = pickerWrapper;
    this.stateManager = stateManager;
    this.providerGrace =
        new ProviderGrace(
            ctx.options().providerGrace(),
            ctx.syncContext(),
            ctx.env().timer(),
            ctx.env().ticker(),
            new GraceExpired());
  }

  /** Creates the balancer side; the channel is leaving IDLE for the first time. */
  void start() {
    balancers = new GracefulSwitch(this, ctx, subConnPool);
  }

  /** A call or connect() found the balancer IDLE: let it reconnect. */
  void exitIdle() {
    balancers.exitIdle();
  }

  /** Closes the balancers, if any were created. */
  void close() {
    providerGrace.cancel();
    if (balancers != null) {
      balancers.close();
    }
  }

  /**
   * The channel goes IDLE: close the balancers (their SubConns shut down gracefully) and forget the
   * resolution and the failures; {@link #start()} begins anew. The method settings calls start with
   * stay until the next resolution replaces them.
   */
  void enterIdle() {
    close();
    providerGrace.found();
    balancers = null;
    lastResolverState = null;
    channelError = null;
    configError = null;
    policyUnavailable = null;
    waitingFor = null;
  }

  /**
   * Checks a service config the application wants to set, on the calling thread. Thread-safe.
   *
   * @throws IllegalArgumentException when {@code json} is invalid
   */
  void validateServiceConfig(String json) {
    configParser.validate(json);
  }

  /** The application replaced (null: cleared) the service config: apply it. */
  void updateServiceConfig(String json) {
    policySelector.setExplicit(json);
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: service config {1}",
        targetString,
        json == null ? "override cleared" : "set to " + json);
    update(true);
  }

  /**
   * The application replaced (null: removed) the default service config. When the default is in
   * force, the policy is chosen again (switched to gracefully) and, before the first resolution,
   * its method settings become those new calls start with.
   */
  void updateDefaultServiceConfig(String json) {
    if (!policySelector.setDefault(json)) {
      return;
    }
    boolean inForce = policySelector.defaultInForce(lastResolverState);
    LOG.log(
        System.Logger.Level.INFO,
        "{0}: default service config {1}{2}",
        targetString,
        json == null ? "removed" : "set to " + json,
        inForce ? "" : " (not in force: another service config takes precedence)");
    if (!inForce) {
      return;
    }
    if (lastResolverState == null) {
      publishMethodConfigs(ServiceConfigParser.methodConfigsOf(json));
    } else {
      update(true);
    }
  }

  /**
   * A registry changed: forget the failures of balancer providers no longer registered, and let go
   * of balancers whose provider left (see {@link GracefulSwitch}).
   */
  void forgetDepartedPolicies() {
    policySelector.forgetDeparted();
    if (balancers != null) {
      balancers.retireDeparted();
    }
  }

  /** The error explaining TRANSIENT_FAILURE: the channel's own, else the last connection error. */
  Status lastError() {
    Status error = channelError;
    return error != null ? error : pickerWrapper.lastConnectionError();
  }

  /** No resolver for the scheme, and nothing resolved to carry on with: wait for one. */
  void noResolver(Status error) {
    missingProvider(error);
  }

  /** How the channel treats a missing provider now, for the wiring: "; calls wait for it ...". */
  String providerWait() {
    if (waitingFor != null) {
      return "; calls wait for it (grace period " + providerGrace.grace() + ")";
    }
    return providerGrace.isMissing() ? "; calls fail until it is deployed" : "";
  }

  /** The resolver's result: balance with it. */
  void onResolverState(ResolverState state) {
    if (ctx.isShutdown()) {
      return;
    }
    lastResolverState = state;
    update(true);
    ctx.wiringChanged();
  }

  /** The resolver's error: the balancer decides (a balancer keeps serving its last addresses). */
  void onResolverError(Status error) {
    if (ctx.isShutdown()) {
      return;
    }
    if (balancers.policyName() == null) {
      channelError = error;
    }
    balancers.resolverError(error);
    ctx.wiringChanged();
  }

  /**
   * A provider the channel needs is missing: queue calls as CONNECTING while its grace period runs,
   * then fail them.
   */
  private void missingProvider(Status error) {
    channelError = error;
    if (!providerGrace.waiting()) {
      waitingFor = null;
      failChannel(error);
      return;
    }
    if (waitingFor == null) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: {1}; calls wait up to {2} for it",
          targetString,
          error.getDescription(),
          providerGrace.grace());
      pickerWrapper.updatePicker(Picker.of(PickResult.withNoResult()), "none");
      stateManager.gotoState(ConnectivityState.CONNECTING);
    }
    waitingFor = error;
  }

  /** The channel balances (or fails for another reason): no provider is awaited any more. */
  private void providersPresent() {
    providerGrace.found();
    waitingFor = null;
  }

  private void failChannel(Status error) {
    channelError = error;
    pickerWrapper.updatePicker(Picker.of(PickResult.withError(error)), "none");
    stateManager.gotoState(ConnectivityState.TRANSIENT_FAILURE);
  }

  /**
   * The config to balance with: the parsed one, else (unusable) the latest balancer's, else null
   * after failing the channel.
   */
  private ServiceConfig chooseConfig() {
    PolicySelector.Choice choice = policySelector.choose(lastResolverState);
    if (choice.error() == null) {
      if (policyUnavailable != null) {
        LOG.log(System.Logger.Level.INFO, "{0}: service config usable again", targetString);
      }
      policyUnavailable = null;
      configError = null;
      logFallback(choice.config());
      publishMethodConfigs(choice.config().methodConfigs());
      subConnPool.healthCheckConfigured(choice.config());
      return choice.config();
    }
    if (balancers.retireDepartedCurrent()) {
      policyUnavailable = null; // nothing kept: the channel waits for a policy (below)
    }
    ServiceConfig keep = balancers.latestConfig();
    if (keep != null) {
      if (!choice.error().equals(policyUnavailable)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: keeping balancing policy {1}: {2}",
            targetString,
            keep.policyName(),
            choice.error().getDescription());
      }
      policyUnavailable = choice.error();
      return keep;
    }
    configError = choice.error();
    if (ServiceConfigParser.isNoPolicyDeployed(choice.error())) {
      missingProvider(choice.error());
    } else {
      providersPresent();
      failChannel(choice.error());
    }
    return null;
  }

  /** Makes {@code configs} the settings new calls start with. */
  private void publishMethodConfigs(MethodConfigs configs) {
    ctx.methodConfigsChanged(configs);
  }

  /** One WARNING when the policy is a fallback for listed ones not deployed, until that changes. */
  private void logFallback(ServiceConfig config) {
    String key =
        config.notDeployed().isEmpty() ? "" : config.policyName() + " " + config.notDeployed();
    if (!key.equals(fallbackLogged) && !key.isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: balancing policy {1} not deployed; using {2}, "
              + "listed after it ({3}). To use {1}: {4}",
          targetString,
          String.join(", ", config.notDeployed()),
          config.policyName(),
          config.source(),
          balancerRegistry.howToDeploy(config.notDeployed().get(0)));
    }
    fallbackLogged = key;
  }

  /**
   * Gives the balancer the last resolution with the config chosen now. With {@code newState} false
   * (a registry changed), only acts when the chosen policy or provider differs from the latest
   * balancer's, or the channel was failing for want of one.
   */
  void update(boolean newState) {
    if (lastResolverState == null || balancers == null) {
      return;
    }
    boolean push = newState;
    for (int round = 0; round < 3; round++) {
      ServiceConfig config = chooseConfig();
      if (config == null) {
        return;
      }
      ServiceConfig latest = balancers.latestConfig();
      boolean same = config.samePolicyAs(latest);
      if (!push && same && channelError == null) {
        balancers.refreshConfig(config);
        return;
      }
      if (!push && same && balancers.latestFailed()) {
        return; // the backoff'd re-resolution rebuilds it
      }
      channelError = null;
      Status accepted =
          balancers.updateClientConnState(
              config,
              new ClientConnState(
                  lastResolverState.addresses(),
                  lastResolverState.attributes(),
                  config.balancerConfig()));
      if (policySelector.hasFailed(config.provider())) {
        ServiceConfig next = chooseConfig(); // skips the provider that just failed
        if (next != null && !next.samePolicyAs(config)) {
          push = true;
          continue; // fall back to the next listed policy right away
        }
      }
      if (accepted.isOk()) {
        ctx.resolutionAccepted();
      } else {
        ctx.resolutionRejected();
      }
      return;
    }
  }

  /** The balancers in the channel's wiring, or a missing one when no config was ever usable. */
  List<ChannelWiring.Component> describe() {
    List<ChannelWiring.Component> out = new ArrayList<>();
    if (balancers != null) {
      out.addAll(balancers.describe(policyUnavailable));
      if (balancers.latestConfig() == null && configError != null) {
        out.add(
            ChannelWiring.Component.newBuilder(ChannelWiring.Role.BALANCER, "none")
                .state(ChannelWiring.State.MISSING)
                .reason(policySelector.source(lastResolverState).description())
                .detail(
                    configError.getDescription()
                        + (ServiceConfigParser.isNoPolicyDeployed(configError)
                            ? providerWait()
                            : ""))
                .build());
      }
    }
    return out;
  }

  /** The grace period for a missing resolver or policy has passed: fail calls now. */
  private final class GraceExpired implements Runnable {
    @Override
    public void run() {
      Status error = waitingFor;
      if (ctx.isShutdown() || error == null) {
        return;
      }
      waitingFor = null;
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: {1}; waited {2}, calls fail until it is " + "deployed",
          targetString,
          error.getDescription(),
          providerGrace.grace());
      failChannel(error);
      ctx.wiringChanged();
    }
  }

  /** A balancer failed outside an update: fall back to another listed policy if there is one. */
  private final class Reevaluate implements Runnable {
    @Override
    public void run() {
      // A balancer exists only once the channel has left IDLE.
      if (!ctx.isShutdown() && balancers != null) {
        update(false);
        ctx.wiringChanged();
      }
    }
  }

  /** The serving balancer published a state and picker: pass them on to calls and watchers. */
  void updateBalancerState(ConnectivityState state, Picker picker, String policyName) {
    if (ctx.isShutdown()) {
      return;
    }
    if (state == ConnectivityState.SHUTDOWN) {
      LOG.log(
          System.Logger.Level.WARNING,
          "policy {0} reported SHUTDOWN; treated as TRANSIENT_FAILURE",
          policyName);
      state = ConnectivityState.TRANSIENT_FAILURE;
    }
    providersPresent();
    pickerWrapper.updatePicker(picker, policyName);
    stateManager.gotoState(state);
  }

  /** A balancer built for {@code config} threw: skip its provider, or rebuild it later. */
  void balancerFailed(ServiceConfig config) {
    policySelector.failed(config);
    ctx.resolutionRejected();
    ctx.syncContext().execute(new Reevaluate());
  }
}
