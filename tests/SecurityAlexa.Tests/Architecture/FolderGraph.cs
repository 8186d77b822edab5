using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace SecurityAlexa.Tests.Architecture;

/// <summary>
/// Which top-level folders of the function refer to which, read from the compiled assembly by reflection:
/// signatures, base types, attributes and every type or member a method body names (its IL tokens).
/// A folder is the first namespace segment under SecurityAlexa; types at the root are the composition root.
/// </summary>
public sealed class FolderGraph
{
    /// <summary>The name used for types directly in the SecurityAlexa namespace.</summary>
    public const string Root = "(root)";

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private FolderGraph(Dictionary<string, Dictionary<string, SortedSet<string>>> edges) => Edges = edges;

    /// <summary>From folder, to folder, and one example per edge of the types that make it ("A -> B").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, SortedSet<string>>> Edges { get; }

    /// <summary>Every folder that holds a type.</summary>
    public IEnumerable<string> Folders => Edges.Keys.Concat(Edges.Values.SelectMany(e => e.Keys)).Distinct().Order(StringComparer.Ordinal);

    /// <summary>The folder of a type of the function, or null for any other assembly's type.</summary>
    public static string? FolderOf(Type type, Assembly assembly)
    {
        if (type.Assembly != assembly) return null;
        var ns = type.Namespace ?? "";
        if (!ns.StartsWith("SecurityAlexa", StringComparison.Ordinal)) return null;
        var rest = ns.Length > "SecurityAlexa".Length ? ns["SecurityAlexa.".Length..] : "";
        return rest.Length == 0 ? Root : rest.Split('.')[0];
    }

    /// <summary>Reads the graph of an assembly.</summary>
    public static FolderGraph Of(Assembly assembly)
    {
        var edges = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in Types(assembly))
        {
            var from = FolderOf(type, assembly);
            if (from is null) continue;
            if (!edges.ContainsKey(from)) edges[from] = new(StringComparer.Ordinal);
            foreach (var used in References(type))
            {
                foreach (var part in Expand(used))
                {
                    var to = FolderOf(part, assembly);
                    if (to is null || to == from) continue;
                    if (!edges[from].TryGetValue(to, out var why)) edges[from][to] = why = new SortedSet<string>(StringComparer.Ordinal);
                    if (why.Count < 3) why.Add(Outer(type).Name + " -> " + Outer(part).Name);
                }
            }
        }
        return new FolderGraph(edges);
    }

    /// <summary>True when <paramref name="from"/> refers to <paramref name="to"/>.</summary>
    public bool Refers(string from, string to) => Edges.TryGetValue(from, out var e) && e.ContainsKey(to);

    /// <summary>The groups of folders that refer to each other in a cycle (strongly connected, more than one folder).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(IEnumerable<string>? among = null)
    {
        var nodes = (among ?? Folders).ToHashSet(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.TryGetValue(v, out var e) ? e.Keys.Where(nodes.Contains) : [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w) && index.TryGetValue(w, out var wi)) low[v] = Math.Min(low[v], wi);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                group.Add(x);
            } while (x != v);
            if (group.Count > 1) result.Add([.. group.Order(StringComparer.Ordinal)]);
        }

        foreach (var n in nodes.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(n)) Visit(n);
        }
        return result;
    }

    private static Type Outer(Type t)
    {
        while (t.DeclaringType is { } d) t = d;
        return t;
    }

    private static IEnumerable<Type> Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static IEnumerable<Type> Expand(Type t)
    {
        if (t.HasElementType && t.GetElementType() is { } element)
        {
            foreach (var x in Expand(element)) yield return x;
            yield break;
        }
        if (t.IsGenericParameter) yield break;
        yield return t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        if (t.IsGenericType)
        {
            foreach (var arg in t.GetGenericArguments())
            {
                foreach (var x in Expand(arg)) yield return x;
            }
        }
    }

    private static IEnumerable<Type> References(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in SafeAttributes(type)) yield return a;
        foreach (var f in type.GetFields(all)) yield return f.FieldType;
        foreach (var p in type.GetProperties(all)) yield return p.PropertyType;
        foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var t in BodyReferences(m)) yield return t;
        }
    }

    private static IEnumerable<Type> SafeAttributes(Type type)
    {
        try
        {
            return type.GetCustomAttributesData().Select(a => a.AttributeType).Where(t => t != typeof(CompilerGeneratedAttribute)).ToList();
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException)
        {
            return [];
        }
    }

    private static List<Type> BodyReferences(MethodBase method)
    {
        var found = new List<Type>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException)
        {
            return found;
        }
        if (il is null) return found;
        var module = method.Module;
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE && i < il.Length) value = unchecked((short)(0xFE00 | il[i++]));
            if (!OpCodesByValue.TryGetValue(value, out var op)) break;
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    if (Resolve(module, token, typeArgs, methodArgs) is { } member)
                    {
                        switch (member)
                        {
                            case Type t:
                                found.Add(t);
                                break;
                            case MethodBase mb:
                                if (mb.DeclaringType is { } dt) found.Add(dt);
                                if (mb is MethodInfo { IsGenericMethod: true } gm) found.AddRange(gm.GetGenericArguments());
                                break;
                            case FieldInfo fi:
                                if (fi.DeclaringType is { } ft) found.Add(ft);
                                break;
                        }
                    }
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    i += 4 + 4 * count;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineString
                    or OperandType.InlineSig:
                    i += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
            }
        }
        return found;
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or MissingMemberException or BadImageFormatException)
        {
            return null;
        }
    }
}
