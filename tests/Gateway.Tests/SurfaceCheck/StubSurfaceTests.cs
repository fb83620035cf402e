using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Gateway.Tests.SurfaceCheck
{
    /// <summary>
    /// The compiled stubs expose exactly the API in tools/nano-api/nanoframework-api.tsv: every visible type and
    /// member, with the same documentation IDs (so the same signatures), and nothing more.
    /// </summary>
    public class StubSurfaceTests
    {
        [Fact]
        public void StubsExposeExactlyTheDocumentedSurface()
        {
            var expected = File.ReadAllLines(Path.Combine(SurfaceFixture.RepoRoot, "tools", "nano-api", "nanoframework-api.tsv"))
                .Where(l => l.Length > 0)
                .Select(l => l.Split('\t'))
                .GroupBy(c => c[0], c => c[1])
                .ToDictionary(g => g.Key, g => new HashSet<string>(g, StringComparer.Ordinal), StringComparer.Ordinal);
            var stubs = SurfaceFixture.Stubs;
            var references = stubs.Images.Keys.Select(stubs.Reference).ToList();
            var compilation = CSharpCompilation.Create("SurfaceProbe", references: references,
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

            var problems = new List<string>();
            foreach (var reference in references)
            {
                var assembly = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(reference)!;
                var actual = new HashSet<string>(StringComparer.Ordinal);
                Collect(assembly.GlobalNamespace, actual);
                var want = expected.TryGetValue(assembly.Name, out var set) ? set : new HashSet<string>();
                problems.AddRange(want.Except(actual).Select(id => $"{assembly.Name}: missing {id}"));
                problems.AddRange(actual.Except(want).Select(id => $"{assembly.Name}: extra {id}"));
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(60)) + $"\n({problems.Count} differences)");
        }

        private static readonly SymbolDisplayFormat PlainFormat = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        [Fact]
        public void StubsKeepModifiersBasesConstantsParametersAndAccessors()
        {
            var surface = Gateway.SurfaceCheck.SurfaceDocument.Load(Path.Combine(SurfaceFixture.RepoRoot, "tools", "nano-api", "nanoframework-surface.json"));
            var stubs = SurfaceFixture.Stubs;
            var references = stubs.Images.Keys.ToDictionary(n => n, stubs.Reference);
            var compilation = CSharpCompilation.Create("SurfaceProbe", references: references.Values,
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary).WithMetadataImportOptions(MetadataImportOptions.All));
            var problems = new List<string>();
            int checkedMembers = 0;
            foreach (var assemblyModel in surface.Assemblies)
            {
                var assembly = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(references[assemblyModel.Name])!;
                foreach (var typeModel in assemblyModel.Types)
                {
                    var type = assembly.GetTypeByMetadataName(typeModel.MetadataName);
                    if (type == null)
                    {
                        problems.Add($"{typeModel.DocId}: not found");
                        continue;
                    }

                    void Expect(bool condition, string what)
                    {
                        if (!condition)
                        {
                            problems.Add($"{typeModel.DocId}: {what}");
                        }
                    }

                    var mods = typeModel.Modifiers;
                    if (typeModel.Kind == "class")
                    {
                        Expect(type.IsStatic == mods.Contains("static"), "static");
                        Expect(type.IsStatic || type.IsAbstract == mods.Contains("abstract"), "abstract");
                        Expect(type.IsStatic || type.IsSealed == mods.Contains("sealed"), "sealed");
                        Expect((type.BaseType?.ToDisplayString(PlainFormat) ?? null) == typeModel.BaseType, $"base {type.BaseType} != {typeModel.BaseType}");
                        bool visibleCtor = type.InstanceConstructors.Any(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal);
                        Expect(!typeModel.NoVisibleConstructors || !visibleCtor, "a visible constructor despite noVisibleConstructors");
                    }

                    if (typeModel.Kind == "struct")
                    {
                        Expect(type.IsReadOnly == mods.Contains("readonly"), "readonly");
                        Expect(type.IsRefLikeType == mods.Contains("ref"), "ref");
                        if (typeModel.HiddenInstanceFields is { } hidden)
                        {
                            bool visibleReferenceField = type.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic && f.DeclaredAccessibility == Accessibility.Public && f.Type.IsReferenceType);
                            Expect(type.IsRefLikeType || type.IsUnmanagedType == (!hidden.Reference && !visibleReferenceField), "unmanaged");
                        }
                    }

                    var interfaces = new HashSet<string>(type.Interfaces.Select(i => i.ToDisplayString(PlainFormat)), StringComparer.Ordinal);
                    Expect(interfaces.SetEquals(typeModel.Interfaces ?? new List<string>()), "interfaces " + string.Join(",", interfaces));

                    foreach (var enumMember in typeModel.EnumMembers ?? new List<Gateway.SurfaceCheck.EnumMember>())
                    {
                        var field = type.GetMembers(enumMember.Name).OfType<IFieldSymbol>().SingleOrDefault();
                        Expect(field != null && Convert.ToDecimal(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture) == enumMember.Value.GetRawText(),
                            $"enum member {enumMember.Name}");
                    }

                    var byDocId = type.GetMembers().Where(m => m is not INamedTypeSymbol).GroupBy(m => m.GetDocumentationCommentId() ?? "").ToDictionary(g => g.Key, g => g.First());
                    foreach (var memberModel in typeModel.Members ?? new List<Gateway.SurfaceCheck.SurfaceMember>())
                    {
                        if (!byDocId.TryGetValue(memberModel.DocId, out var member))
                        {
                            problems.Add($"{memberModel.DocId}: not found");
                            continue;
                        }

                        checkedMembers++;
                        void ExpectMember(bool condition, string what)
                        {
                            if (!condition)
                            {
                                problems.Add($"{memberModel.DocId}: {what}");
                            }
                        }

                        var m = memberModel.Modifiers;
                        bool isInterfaceMember = type.TypeKind == TypeKind.Interface;
                        if (memberModel.Kind != "const")
                        {
                            ExpectMember(member.IsStatic == m.Contains("static"), "static");
                        }

                        if (!isInterfaceMember && memberModel.ExplicitInterface == null)
                        {
                            ExpectMember(member.IsAbstract == m.Contains("abstract"), "abstract");
                            ExpectMember(member.IsVirtual == m.Contains("virtual"), "virtual");
                            ExpectMember(member.IsOverride == m.Contains("override"), "override");
                            ExpectMember(member.IsSealed == m.Contains("sealed"), "sealed");
                            ExpectMember(Access(member.DeclaredAccessibility) == (memberModel.Accessibility ?? "public"), "accessibility " + member.DeclaredAccessibility);
                        }

                        if (memberModel.Kind == "const" && member is IFieldSymbol constant)
                        {
                            ExpectMember(ConstantText(constant.ConstantValue) == ConstantText(memberModel.Value), $"value {constant.ConstantValue}");
                        }

                        var parameters = member switch
                        {
                            IMethodSymbol method => method.Parameters,
                            IPropertySymbol property => property.Parameters,
                            _ => default,
                        };
                        if (!parameters.IsDefault && memberModel.Parameters != null)
                        {
                            for (int i = 0; i < memberModel.Parameters.Count && i < parameters.Length; i++)
                            {
                                var pm = memberModel.Parameters[i];
                                var ps = parameters[i];
                                ExpectMember(ps.Name == pm.Name, $"parameter name {ps.Name}");
                                ExpectMember(ps.IsParams == pm.Params, $"params {ps.Name}");
                                bool hasDefault = pm.Default.ValueKind != System.Text.Json.JsonValueKind.Undefined;
                                ExpectMember(ps.HasExplicitDefaultValue == hasDefault, $"default presence {ps.Name}");
                                if (hasDefault && ps.HasExplicitDefaultValue)
                                {
                                    ExpectMember(ConstantText(ps.ExplicitDefaultValue) == ConstantText(pm.Default), $"default value {ps.Name} {ps.ExplicitDefaultValue}");
                                }
                            }
                        }

                        if (member is IPropertySymbol prop && memberModel.Accessors != null)
                        {
                            ExpectMember((prop.GetMethod != null) == memberModel.Accessors.ContainsKey("get"), "getter");
                            ExpectMember((prop.SetMethod != null) == memberModel.Accessors.ContainsKey("set"), "setter");
                            foreach (var pair in memberModel.Accessors.Where(p => p.Value.Accessibility != "explicit"))
                            {
                                var accessor = pair.Key == "get" ? prop.GetMethod : prop.SetMethod;
                                ExpectMember(accessor != null && Access(accessor.DeclaredAccessibility) == pair.Value.Accessibility, $"{pair.Key} accessibility");
                            }
                        }
                    }
                }
            }

            Assert.True(checkedMembers > 4000, $"only {checkedMembers} members checked");
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(60)) + $"\n({problems.Count} differences)");
        }

        private static string Access(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.Internal => "internal",
            Accessibility.Private => "private",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => accessibility.ToString(),
        };

        private static string ConstantText(object? value) => value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            string s => s,
            char c => ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture),
            float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Json.JsonElement e => e.ValueKind switch
            {
                System.Text.Json.JsonValueKind.Null => "null",
                System.Text.Json.JsonValueKind.True => "true",
                System.Text.Json.JsonValueKind.False => "false",
                System.Text.Json.JsonValueKind.String => e.GetString()!,
                _ => e.GetRawText(),
            },
            _ => Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        private static void Collect(INamespaceSymbol ns, HashSet<string> ids)
        {
            foreach (var child in ns.GetNamespaceMembers())
            {
                Collect(child, ids);
            }

            foreach (var type in ns.GetTypeMembers())
            {
                CollectType(type, ids);
            }
        }

        private static void CollectType(INamedTypeSymbol type, HashSet<string> ids)
        {
            if (!IsVisible(type))
            {
                return;
            }

            ids.Add(type.GetDocumentationCommentId()!);
            foreach (var member in type.GetMembers())
            {
                if (member is INamedTypeSymbol nested)
                {
                    CollectType(nested, ids);
                    continue;
                }

                if (!IsVisible(member) || member.IsImplicitlyDeclared && member is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.DelegateInvoke or MethodKind.Ordinary })
                {
                    continue;
                }

                if (member is IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.StaticConstructor })
                {
                    continue;
                }

                if (member.IsImplicitlyDeclared && member is IMethodSymbol { MethodKind: MethodKind.Constructor } && type.IsValueType)
                {
                    continue; // every value type has the implicit parameterless constructor, in the real assembly too
                }

                if (member is IFieldSymbol { AssociatedSymbol: not null })
                {
                    continue;
                }

                ids.Add(member.GetDocumentationCommentId()!);
            }
        }

        private static bool IsVisible(ISymbol symbol)
        {
            for (var s = symbol; s != null && s is not INamespaceSymbol; s = s.ContainingSymbol)
            {
                if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
