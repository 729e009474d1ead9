package dev.switchboard.api.spi;

/**
 * The end of every "no transport 'netty' deployed: ..." message: how to deploy a missing provider
 * in the world a registry is fed from (see {@link ProviderRegistry#howToDeploy(String)}).
 */
final class DeployHints {
  private DeployHints() {}

  /**
   * The hint for a provider named {@code name} of {@code type} (null: none known), whose OSGi
   * service carries its name in {@code nameProperty} (null: none), missing from the registry {@code
   * registryName} fed by {@code feed}.
   */
  static String howToDeploy(
      ProviderRegistry.Feed feed,
      Class<?> type,
      String nameProperty,
      String name,
      String registryName) {
    String typeName = type == null ? "provider" : type.getName();
    return switch (feed) {
      case OSGI ->
          "install and start the bundle providing it (a "
              + typeName
              + " service"
              + (nameProperty == null ? "" : " with " + nameProperty + "=" + name)
              + ")";
      case MODULE_PATH ->
          "add the module providing it to the module path (one that provides "
              + typeName
              + "), or its jar to the class path";
      case CLASS_PATH ->
          "add the jar providing it to the class path (one listing it in "
              + "META-INF/services/"
              + typeName
              + ")";
      case CODE ->
          "register a "
              + (type == null ? "provider" : type.getSimpleName())
              + " for '"
              + name
              + "' in the "
              + registryName
              + " in use";
    };
  }
}
