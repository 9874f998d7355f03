using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DbIntegrity.Core.Tests.Architecture;

/// <summary>
/// Which namespace of a compiled assembly uses which, read from its metadata (System.Reflection.Metadata).
/// It sees, for every type (nested and compiler-generated types count for the type that declares them, so lambdas,
/// iterators and async state machines count for the method's type): base type, interfaces, generic constraints,
/// attributes, field, property, event and method signatures, explicit interface implementations, and in method bodies
/// the local variables, caught exception types and every type, field and method the IL names (generic arguments included).
/// It cannot see what the compiler leaves no token for: constants and enum values (inlined as numbers), nameof(),
/// typeof() inside attribute arguments (stored as a string), doc comments, unused using directives, and the rare
/// calli signature. A cycle made only of those would pass; every other use of a type shows.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _uses = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>From namespace to the namespaces it uses.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges =>
        _uses.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value.Keys.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The "Type uses Type" pairs that make the edge, in order, for a failure message.</summary>
    public IReadOnlyCollection<string> Uses(string from, string to) => _uses[from][to];

    public static NamespaceGraph Read(string assemblyPath, string namespacePrefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new NamespaceGraph();
        var uses = new TypeUses(reader, pe);
        bool InScope(string ns) => ns == namespacePrefix || ns.StartsWith(namespacePrefix + ".", StringComparison.Ordinal);

        foreach (var handle in reader.TypeDefinitions)
        {
            var owner = Outermost(reader, handle);
            var from = reader.GetString(reader.GetTypeDefinition(owner).Namespace);
            if (!InScope(from))
            {
                continue;
            }

            foreach (var used in uses.Of(handle))
            {
                var usedOwner = Outermost(reader, used);
                var to = reader.GetString(reader.GetTypeDefinition(usedOwner).Namespace);
                if (to != from && InScope(to))
                {
                    var targets = graph._uses.TryGetValue(from, out var t) ? t : graph._uses[from] = new(StringComparer.Ordinal);
                    var pairs = targets.TryGetValue(to, out var p) ? p : targets[to] = new(StringComparer.Ordinal);
                    pairs.Add($"{Name(reader, owner)} uses {Name(reader, usedOwner)}");
                }
            }
        }

        return graph;
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        while (true)
        {
            var declaring = reader.GetTypeDefinition(handle).GetDeclaringType();
            if (declaring.IsNil)
            {
                return handle;
            }

            handle = declaring;
        }
    }

    private static string Name(MetadataReader reader, TypeDefinitionHandle handle) => reader.GetString(reader.GetTypeDefinition(handle).Name);

    private sealed class TypeUses(MetadataReader reader, PEReader pe)
    {
        private readonly TypeDefinitionCollector _collector = new();

        public IEnumerable<TypeDefinitionHandle> Of(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            var found = new List<TypeDefinitionHandle>();
            found.AddRange(Entity(type.BaseType));
            found.AddRange(type.GetInterfaceImplementations().SelectMany(i => Entity(reader.GetInterfaceImplementation(i).Interface)));
            found.AddRange(Constraints(type.GetGenericParameters()));
            found.AddRange(Attributes(type.GetCustomAttributes()));
            found.AddRange(type.GetMethodImplementations().SelectMany(m => Entity(reader.GetMethodImplementation(m).MethodDeclaration)));
            foreach (var field in type.GetFields().Select(reader.GetFieldDefinition))
            {
                found.AddRange(field.DecodeSignature(_collector, null));
                found.AddRange(Attributes(field.GetCustomAttributes()));
            }

            foreach (var property in type.GetProperties().Select(reader.GetPropertyDefinition))
            {
                found.AddRange(Signature(property.DecodeSignature(_collector, null)));
                found.AddRange(Attributes(property.GetCustomAttributes()));
            }

            found.AddRange(type.GetEvents().SelectMany(e => Entity(reader.GetEventDefinition(e).Type)));
            foreach (var method in type.GetMethods().Select(reader.GetMethodDefinition))
            {
                found.AddRange(Signature(method.DecodeSignature(_collector, null)));
                found.AddRange(Attributes(method.GetCustomAttributes()));
                found.AddRange(method.GetParameters().SelectMany(p => Attributes(reader.GetParameter(p).GetCustomAttributes())));
                found.AddRange(Constraints(method.GetGenericParameters()));
                found.AddRange(Body(method));
            }

            return found;
        }

        private IEnumerable<TypeDefinitionHandle> Body(MethodDefinition method)
        {
            if (method.RelativeVirtualAddress == 0)
            {
                return [];
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            var locals = body.LocalSignature.IsNil
                ? []
                : reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_collector, null).SelectMany(l => l);
            var caught = body.ExceptionRegions.Where(r => !r.CatchType.IsNil).SelectMany(r => Entity(r.CatchType));
            var named = IlTokens.Read(body.GetILBytes() ?? []).SelectMany(Entity);
            return locals.Concat(caught).Concat(named).ToList();
        }

        private IEnumerable<TypeDefinitionHandle> Entity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return [];
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [(TypeDefinitionHandle)handle];
                case HandleKind.TypeSpecification:
                    return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_collector, null);
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return field.DecodeSignature(_collector, null).Add(field.GetDeclaringType());
                case HandleKind.MethodDefinition:
                    return [reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()];
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    var signature = member.GetKind() == MemberReferenceKind.Method
                        ? Signature(member.DecodeMethodSignature(_collector, null))
                        : member.DecodeFieldSignature(_collector, null);
                    return Entity(member.Parent).Concat(signature);
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return Entity(specification.Method).Concat(specification.DecodeSignature(_collector, null).SelectMany(a => a));
                default:
                    return [];
            }
        }

        private static IEnumerable<TypeDefinitionHandle> Signature(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));

        private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
            parameters.SelectMany(p => reader.GetGenericParameter(p).GetConstraints())
                .SelectMany(c => Entity(reader.GetGenericParameterConstraint(c).Type));

        private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
            attributes.SelectMany(a => Entity(reader.GetCustomAttribute(a).Constructor));
    }
}
