package dev.embtrain.models.serving;

import dev.embtrain.models.BlockSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link BlockSpec} record to {@code serving.properties} entries and reads it back: the
 * one codec for every model type. Each component is one entry, its name in snake case
 * ({@code yLo} is {@code y_lo}); a list is comma-separated, a record in a list colon-separated
 * ({@code fields=user:944:16:1,item:1683:16:1}), an enum lower case with dashes
 * ({@code skip-gram}). {@code blockFactory} names {@link SpecFactory} and {@code spec} the record.
 */
public final class Specs {

    /** The entry naming the spec record's class. */
    public static final String SPEC = "spec";

    private Specs() {}

    /**
     * Returns a spec's entries, {@code blockFactory} and {@code spec} first.
     *
     * @param spec the spec
     * @return entry name to value, in component order
     * @throws IllegalArgumentException when a text value holds a separator ({@code , : =} or a line break)
     */
    public static Map<String, String> write(BlockSpec spec) {
        Record record = record(spec);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("blockFactory", SpecFactory.class.getName());
        out.put(SPEC, record.getClass().getName());
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value = get(c, record);
            String key = key(c.getName());
            if (value instanceof List<?> list) {
                List<String> items = new ArrayList<>();
                for (Object item : list) {
                    items.add(item instanceof Record r ? joinRecord(r, key) : scalar(item, key));
                }
                out.put(key, String.join(",", items));
            } else {
                out.put(key, scalar(value, key));
            }
        }
        return out;
    }

    /**
     * Reads the spec {@code serving.properties} names.
     *
     * @param arguments its entries (DJL's block-factory arguments, or the file's {@code Properties})
     * @return the spec
     * @throws IllegalArgumentException naming the entry that is missing or malformed
     */
    public static BlockSpec read(Map<?, ?> arguments) {
        String name = entry(arguments, SPEC);
        Class<?> type;
        try {
            type = Class.forName(name, true, Specs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("serving.properties: spec names " + name
                    + ", which is not among the model classes", e);
        }
        if (!type.isRecord() || !BlockSpec.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("serving.properties: spec names " + name
                    + ", which is not a BlockSpec record");
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = key(c.getName());
            String text = entry(arguments, key);
            types[i] = c.getType();
            if (c.getType() == List.class) {
                Class<?> element = element(c.getGenericType());
                List<Object> list = new ArrayList<>();
                for (String item : text.split(",", -1)) {
                    if (!item.isBlank()) {
                        list.add(element.isRecord() ? parseRecord(element, item.trim(), key)
                                : parse(element, item.trim(), key));
                    }
                }
                values[i] = List.copyOf(list);
            } else {
                values[i] = parse(c.getType(), text, key);
            }
        }
        return (BlockSpec) construct(type, types, values);
    }

    /**
     * Returns the snake-case name of a record component: its entry here, and its YAML key in a
     * config.
     *
     * @param component a record component's name, {@code yLo}
     * @return {@code y_lo}
     */
    public static String key(String component) {
        StringBuilder sb = new StringBuilder();
        for (char ch : component.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String entry(Map<?, ?> arguments, String key) {
        Object value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException("serving.properties lacks " + key);
        }
        return value.toString().trim();
    }

    private static Record record(BlockSpec spec) {
        if (!(spec instanceof Record r)) {
            throw new IllegalArgumentException(spec.getClass().getName() + " is not a record");
        }
        return r;
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
        }
    }

    private static String joinRecord(Record r, String key) {
        List<String> parts = new ArrayList<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            parts.add(scalar(get(c, r), key));
        }
        return String.join(":", parts);
    }

    private static String scalar(Object value, String key) {
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        String text = String.valueOf(value);
        if (value instanceof String && text.chars().anyMatch(ch -> ch == ',' || ch == ':' || ch == '='
                || ch == '\n' || ch == '\r')) {
            throw new IllegalArgumentException(key + " holds \"" + text + "\": names in a served model may not contain"
                    + " , : = or a line break");
        }
        return text;
    }

    private static Class<?> element(Type generic) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
            return c;
        }
        throw new IllegalStateException("a spec's lists need a concrete element type, found " + generic);
    }

    private static Object parseRecord(Class<?> type, String text, String key) {
        RecordComponent[] components = type.getRecordComponents();
        String[] parts = text.split(":", -1);
        if (parts.length != components.length) {
            throw new IllegalArgumentException("serving.properties: " + key + " item \"" + text + "\" must have "
                    + components.length + " parts separated by ':'");
        }
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = components[i].getType();
            values[i] = parse(types[i], parts[i], key);
        }
        return construct(type, types, values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String text, String key) {
        try {
            if (type == int.class || type == Integer.class) {
                return Integer.parseInt(text);
            } else if (type == long.class || type == Long.class) {
                return Long.parseLong(text);
            } else if (type == float.class || type == Float.class) {
                return Float.parseFloat(text);
            } else if (type == double.class || type == Double.class) {
                return Double.parseDouble(text);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException("serving.properties: " + key + " must be true or false, found \""
                            + text + "\"");
                }
                return Boolean.parseBoolean(text);
            } else if (type == String.class) {
                return text;
            } else if (type.isEnum()) {
                try {
                    return Enum.valueOf((Class<Enum>) type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
                } catch (IllegalArgumentException e) {
                    List<String> names = new ArrayList<>();
                    for (Object c : type.getEnumConstants()) {
                        names.add(scalar(c, key));
                    }
                    throw new IllegalArgumentException("serving.properties: " + key + " must be one of " + names
                            + ", found \"" + text + "\"", e);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("serving.properties: " + key + " must be a number, found \"" + text
                    + "\"", e);
        }
        throw new IllegalStateException("a spec component cannot be a " + type.getName());
    }

    private static Object construct(Class<?> type, Class<?>[] types, Object[] values) {
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }
}
