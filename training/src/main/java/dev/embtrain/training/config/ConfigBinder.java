package dev.embtrain.training.config;

import dev.embtrain.training.text.EditDistance;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree to config records, one to one: a record component {@code batchSize} is
 * the key {@code batch_size}, a {@link Default} supplies a missing key, a sealed {@link Variants}
 * interface is chosen by its {@code type} key. Every refusal, the records' own included, becomes
 * a {@link ConfigException} naming the dotted path, expected and found, and where the value came
 * from. This is the only way YAML becomes a config, so Java callers and YAML users go through the
 * same constructors.
 */
public final class ConfigBinder {

    // Decimal numbers only: Double.parseDouble would also take "NaN", "Infinity", "1d", "0x1p3".
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final String source;
    private final Map<Node, String> origins;
    private final Map<String, String> locations = new LinkedHashMap<>();
    private final java.util.Set<String> explicit = new java.util.LinkedHashSet<>();

    /**
     * Creates a binder.
     *
     * @param source the file name errors cite as {@code source:line}
     * @param origins nodes that came from elsewhere (a {@code --set}), cited by that text instead
     */
    public ConfigBinder(String source, Map<Node, String> origins) {
        this.source = source;
        this.origins = origins;
    }

    /** The {@link Default} of an optional section: absent or {@code null}, the component is null. */
    public static final String OPTIONAL = "null";

    /**
     * Binds a node to a record.
     *
     * @param type the record class
     * @param node the mapping
     * @param <T> the record type
     * @return the record
     */
    public <T> T bind(Class<T> type, Node node) {
        return type.cast(convert(type, node, "", node));
    }

    private Object convert(Type type, Node node, String path, Node keyNode) {
        Class<?> raw = rawClass(type);
        if (raw.isRecord()) {
            return bindRecord(raw, node, path, null);
        }
        if (raw.isInterface() && Variants.class.isAssignableFrom(raw)) {
            return bindVariant(raw, node, path);
        }
        if (raw == List.class) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            if (!(node instanceof SequenceNode seq)) {
                throw error(path, "expected a list, found " + describe(node), node);
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                out.add(convert(element, seq.getValue().get(i), path + "[" + i + "]", keyNode));
            }
            return out;
        }
        return scalar(raw, node, path);
    }

    private Object scalar(Class<?> raw, Node node, String path) {
        String expected = expectedName(raw);
        if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) {
            throw error(path, "expected " + expected + ", found " + describe(node), node);
        }
        String v = s.getValue();
        boolean plain = s.isPlain();
        try {
            if (raw == String.class) {
                return v;
            }
            if (raw == Path.class) {
                if (v.isBlank()) {
                    throw error(path, "expected a path, found an empty string", node);
                }
                if (dev.embtrain.datasets.io.s3.S3Path.isS3(v)) {
                    try {
                        return dev.embtrain.datasets.io.s3.S3Path.of(v);
                    } catch (IllegalArgumentException e) {
                        throw error(path, e.getMessage(), node);
                    }
                }
                return Path.of(v);
            }
            if (raw == boolean.class || raw == Boolean.class) {
                if (plain && (v.equals("true") || v.equals("false"))) {
                    return Boolean.parseBoolean(v);
                }
                throw error(path, "expected true or false, found " + describe(node), node);
            }
            if (raw.isEnum()) {
                return enumValue(raw, v, path, node);
            }
            if (!plain) {
                throw error(path, "expected " + expected + ", found " + describe(node), node);
            }
            String n = v.replace("_", "");
            if (raw == int.class || raw == Integer.class) {
                long l = Long.parseLong(n);
                if (l != (int) l) {
                    throw error(path, "expected an integer up to " + Integer.MAX_VALUE + ", found " + v, node);
                }
                return (int) l;
            }
            if (raw == long.class || raw == Long.class) {
                return Long.parseLong(n);
            }
            if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
                if (!NUMBER.matcher(n).matches()) {
                    throw new NumberFormatException(v);
                }
                double d = Double.parseDouble(n);
                return raw == float.class || raw == Float.class ? (Object) (float) d : (Object) d;
            }
        } catch (NumberFormatException e) {
            throw error(path, "expected " + expected + ", found " + describe(node), node);
        }
        throw new IllegalStateException("no YAML conversion for " + raw + " at " + path);
    }

    private Object enumValue(Class<?> raw, String v, String path, Node node) {
        List<String> names = new ArrayList<>();
        for (Object c : raw.getEnumConstants()) {
            String name = yamlName((Enum<?>) c);
            if (name.equals(v)) {
                return c;
            }
            names.add(name);
        }
        throw error(path, "expected one of " + names + ", found " + describe(node), node);
    }

    private Object bindVariant(Class<?> iface, Node node, String path) {
        Map<String, Class<? extends Record>> variants = variantsOf(iface);
        MappingNode map = mapping(node, path);
        NodeTuple typeTuple = tuple(map, "type");
        if (typeTuple == null) {
            throw error(child(path, "type"),
                    "required key is missing; expected one of " + variants.keySet(), node);
        }
        Node typeNode = typeTuple.getValueNode();
        String name = typeNode instanceof ScalarNode s ? s.getValue() : null;
        Class<? extends Record> rc = variants.get(name);
        if (rc == null) {
            throw error(child(path, "type"),
                    "expected one of " + variants.keySet() + ", found " + describe(typeNode), typeNode);
        }
        // Recorded so that a later error about the type itself (a job that cannot run it) cites its line.
        locations.put(child(path, "type"), where(typeNode));
        return bindRecord(rc, map, path, "type");
    }

    private Object bindRecord(Class<?> rc, Node node, String path, String extraKey) {
        MappingNode map = mapping(node, path);
        RecordComponent[] components = rc.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byKey.put(snake(c.getName()), c);
        }
        Map<String, NodeTuple> given = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (given.put(key, t) != null) {
                throw error(child(path, key), "duplicate key", t.getKeyNode());
            }
            if (!byKey.containsKey(key) && !key.equals(extraKey)) {
                List<String> allowed = new ArrayList<>(byKey.keySet());
                if (extraKey != null) {
                    allowed.add(0, extraKey);
                }
                String hint = closest(key, allowed);
                throw error(child(path, key), "unknown key" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
                        + "; expected one of " + allowed, t.getKeyNode());
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = snake(c.getName());
            types[i] = c.getType();
            NodeTuple t = given.get(key);
            Node value;
            if (t != null) {
                value = t.getValueNode();
            } else {
                Default d = c.getAnnotation(Default.class);
                if (d == null) {
                    throw error(child(path, key), "required key is missing", node);
                }
                value = parseDefault(d.value());
                markAll(value, "default " + key + ": " + d.value(), origins);
            }
            locations.put(child(path, key), where(t == null ? node : value));
            if (t != null && !String.valueOf(origins.get(t.getKeyNode())).startsWith("default ")) {
                explicit.add(child(path, key));
            }
            Default optional = c.getAnnotation(Default.class);
            if (optional != null && optional.value().equals(OPTIONAL) && value instanceof ScalarNode s
                    && s.getTag().equals(Tag.NULL)) {
                // An optional section (@Default("null")): absent or written as null, it is off.
                args[i] = null;
                continue;
            }
            args[i] = convert(c.getGenericType(), value, child(path, key), t == null ? node : t.getKeyNode());
        }
        try {
            Constructor<?> ctor = rc.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigValueException v) {
                NodeTuple t = given.get(v.key());
                throw error(child(path, v.key()), v.reason(), t == null ? node : t.getValueNode());
            }
            if (cause instanceof ConfigException ce) {
                throw ce;
            }
            if (cause instanceof IllegalArgumentException iae) {
                throw error(path.isEmpty() ? "(root)" : path, iae.getMessage(), node);
            }
            throw new IllegalStateException("constructing " + rc.getSimpleName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("config record " + rc + " has no canonical constructor", e);
        }
    }

    /**
     * Records that a node and everything under it came from {@code origin}, not the file.
     *
     * @param node the node
     * @param origin what errors cite instead of {@code file:line}
     * @param origins the map to record in
     */
    static void markAll(Node node, String origin, Map<Node, String> origins) {
        origins.put(node, origin);
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                markAll(t.getKeyNode(), origin, origins);
                markAll(t.getValueNode(), origin, origins);
            }
        } else if (node instanceof SequenceNode s) {
            s.getValue().forEach(n -> markAll(n, origin, origins));
        }
    }

    private MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(path.isEmpty() ? "(root)" : path, "expected a mapping of keys, found " + describe(node), node);
    }

    private static NodeTuple tuple(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }

    private ConfigException error(String path, String message, Node at) {
        return new ConfigException(path + ": " + message + " (" + where(at) + ")");
    }

    /**
     * Returns where each bound key came from, by dotted path: {@code file:line}, a
     * {@code --set}, or the parent's line for a default.
     *
     * @return the locations, after {@link #bind}
     */
    public Map<String, String> locations() {
        return locations;
    }

    /**
     * Returns the dotted paths of the keys the YAML or a {@code --set} wrote, defaults left out:
     * {@link #locations()} cites a missing key by its section's line, so it cannot tell them apart.
     *
     * @return the paths, after {@link #bind}
     */
    public java.util.Set<String> explicit() {
        return explicit;
    }

    /**
     * Returns where a node came from: {@code file:line}, or the {@code --set} that gave it.
     *
     * @param node the node
     * @return the location
     */
    public String where(Node node) {
        String origin = origins.get(node);
        if (origin != null) {
            return origin;
        }
        return source + ":" + (node.getStartMark().getLine() + 1);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) {
            return "nothing";
        }
        if (s.isPlain() && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT)
                || s.getTag().equals(Tag.BOOL))) {
            return s.getValue();
        }
        return "\"" + s.getValue() + "\"";
    }

    private static String expectedName(Class<?> raw) {
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "an integer";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "a number";
        }
        if (raw == String.class) {
            return "a string";
        }
        if (raw == Path.class) {
            return "a path";
        }
        return raw.getSimpleName();
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Node parseDefault(String yaml) {
        return new Yaml().compose(new StringReader(yaml));
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        return (Class<?>) ((ParameterizedType) type).getRawType();
    }

    /**
     * Returns the variants of a {@link Variants} interface, {@code type} name to record.
     *
     * @param iface the interface
     * @return its variants in documentation order
     */
    public static Map<String, Class<? extends Record>> variantsOf(Class<?> iface) {
        try {
            Field f = iface.getField("VARIANTS");
            return ((Variants.Table) f.get(null)).byName();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(iface + " lists no VARIANTS", e);
        }
    }

    /**
     * Returns the {@code type} name a variant record is written under.
     *
     * @param variant the record
     * @return its name
     */
    public static String typeName(Object variant) {
        for (Class<?> iface : variant.getClass().getInterfaces()) {
            if (Variants.class.isAssignableFrom(iface) && iface != Variants.class) {
                for (var e : variantsOf(iface).entrySet()) {
                    if (e.getValue() == variant.getClass()) {
                        return e.getKey();
                    }
                }
            }
        }
        throw new IllegalStateException(variant.getClass() + " is not a listed variant");
    }

    /**
     * Returns the YAML spelling of an enum constant.
     *
     * @param e the constant
     * @return {@link YamlName#yamlName()}, else the name in lower case with '-' for '_'
     */
    public static String yamlName(Enum<?> e) {
        if (e instanceof YamlName y) {
            return y.yamlName();
        }
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Returns a component name as a YAML key: {@code batchSize} is {@code batch_size}.
     *
     * @param camel the component name
     * @return the key
     */
    public static String snake(String camel) {
        // The same names as a served model's serving.properties entries.
        return dev.embtrain.models.serving.Specs.key(camel);
    }

    /**
     * Turns a config record back into plain maps and lists, in the same keys, for writing the
     * resolved config.
     *
     * @param value a record, list, enum or scalar
     * @return what SnakeYAML dumps as the same YAML
     */
    public static Object toYaml(Object value) {
        if (value instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (r instanceof Variants v) {
                out.put("type", v.type());
            }
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    if (v == null) {
                        continue; // an optional section that is off is left out, as in the file
                    }
                    out.put(snake(c.getName()), toYaml(v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(o -> out.add(toYaml(o)));
            return out;
        }
        if (value instanceof Enum<?> e) {
            return yamlName(e);
        }
        if (value instanceof Path p) {
            return p.toString();
        }
        return value;
    }

    /**
     * Dumps plain maps as block-style YAML.
     *
     * @param tree maps, lists and scalars
     * @return the YAML text
     */
    public static String dump(Object tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(120);
        return new Yaml(o).dump(tree);
    }

    private static String closest(String key, List<String> allowed) {
        return allowed.stream()
                .filter(a -> EditDistance.levenshtein(a, key) <= Math.max(1, key.length() / 3))
                .min(Comparator.comparingInt(a -> EditDistance.levenshtein(a, key)))
                .orElse(null);
    }


    /**
     * Creates an empty map for origins keyed by node identity.
     *
     * @return the map
     */
    public static Map<Node, String> newOrigins() {
        return new IdentityHashMap<>();
    }
}
